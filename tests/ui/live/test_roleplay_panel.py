"""The console's role-play panel: parallel groups on their own clocks, the consent gate on
screen, one person's brief alone on the laptop, and keys that log shares when nothing records."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.context import Ripple
from app.planning.agenda import add_agenda_item, set_groups
from app.planning.participants import add_participant, set_consent
from app.roleplay.cards import CARDS
from app.roleplay.ratings import ratings_of
from app.roleplay.rounds import load_round, propose_rotation, rounds_of, store_rotation
from app.roleplay.scenarios import OBSERVER_ROLE
from tests.helpers.portable import max_seq
from tests.helpers.roleplay import triad
from tests.helpers.roleplay_played import played
from ui.live.console import Console


def _console(qtbot: QtBot, ctx: Ripple, wid: object) -> Console:
    console = Console(ctx)
    qtbot.addWidget(console)
    console.resize(1366, 768)
    console.show()
    assert console.open_workshop(wid)  # type: ignore[arg-type]
    return console


def test_parallel_groups_run_on_their_own_clocks(qtbot: QtBot, ctx: Ripple) -> None:
    t = triad(ctx.store)
    others = [add_participant(ctx.store, t.workshop, n) for n in ("Dev Patel", "Eva Rossi")]
    for p in others:
        set_consent(ctx.store, p, video=True, analytics=True, by="Marta Ruiz")
    set_groups(ctx.store, t.item, [t.people, others])
    store_rotation(ctx.store, t.scenario, propose_rotation(ctx.store, t.item))
    console = _console(qtbot, ctx, t.workshop)
    panel = console.roleplay
    now = [datetime.now(UTC)]
    panel.now = lambda: now[0]
    one, two = panel.cards[0], panel.cards[1]
    assert "ROUND 1 OF 3" in one.heading.text() and "ROUND 1 OF 2" in two.heading.text()
    qtbot.mouseClick(one.start_button, Qt.MouseButton.LeftButton)
    now[0] += timedelta(seconds=60)
    qtbot.mouseClick(two.start_button, Qt.MouseButton.LeftButton)
    now[0] += timedelta(seconds=90)  # group 1: 30 s left of prepare; group 2: 90 s left
    qtbot.waitUntil(lambda: one.clock.text() == "00:30" and two.clock.text() == "01:30", timeout=3000)
    assert one.clock.property("state") == "warning" and two.clock.property("state") == "normal"
    now[0] += timedelta(seconds=31)  # group 1's prepare runs out and moves on by itself; group 2 does not
    qtbot.waitUntil(lambda: "▶ PLAY" in one.phases.text(), timeout=3000)
    assert one.clock.text() == "06:00" and two.clock.text() == "00:59" and "▶ PREPARE" in two.phases.text()


def test_without_video_consent_the_round_plays_unrecorded(qtbot: QtBot, ctx: Ripple) -> None:
    t = triad(ctx.store)
    seller = next(c.participant_id for c in t.rounds[0].cast if c.role == "seller")
    observer = next(c.participant_id for c in t.rounds[0].cast if c.role == OBSERVER_ROLE)
    set_consent(ctx.store, seller, video=False, by="Marta Ruiz")
    console = _console(qtbot, ctx, t.workshop)
    card = console.roleplay.cards[0]
    assert "no video consent" in card.cast.text()
    qtbot.mouseClick(card.start_button, Qt.MouseButton.LeftButton)
    assert card.record_button.isVisible() and not card.record_button.isEnabled()
    assert "not agreed to be recorded" in card.record_line.text() and "let them observe" in card.record_line.text()
    before = max_seq(ctx.store)
    assert not console.roleplay.record(0)
    assert "not agreed to be recorded" in card.record_line.text()
    assert max_seq(ctx.store) == before and console.roleplay.recording is None
    # someone without consent who only observes does not stop the recording of a round
    set_consent(ctx.store, seller, video=True, by="Marta Ruiz")
    set_consent(ctx.store, observer, video=False, by="Marta Ruiz")
    console.roleplay.reload()
    assert card.record_button.isEnabled() and card.record_line.text() == ""


def test_a_player_without_video_consent_can_observe_instead(qtbot: QtBot, ctx: Ripple) -> None:
    t = triad(ctx.store)
    cast = {c.role: c.participant_id for c in t.rounds[0].cast}
    set_consent(ctx.store, cast["customer"], video=False, by="Marta Ruiz")
    console = _console(qtbot, ctx, t.workshop)
    card = console.roleplay.cards[0]
    assert card.observe_button.isVisible() and card.observe_button.text() == "Let Ben Okafor observe"
    qtbot.mouseClick(card.observe_button, Qt.MouseButton.LeftButton)
    rounds = rounds_of(ctx.store, t.scenario)
    assert rounds[0].role_of(cast["customer"]) == OBSERVER_ROLE
    assert rounds[0].role_of(cast[OBSERVER_ROLE]) == "customer"
    for p in t.people:  # the swap keeps the rotation: each still plays each role once
        assert sorted(r.role_of(p) or "" for r in rounds) == ["customer", OBSERVER_ROLE, "seller"]
    assert not card.observe_button.isVisible() and card.record_line.text() == ""
    qtbot.mouseClick(card.start_button, Qt.MouseButton.LeftButton)
    assert card.record_button.isEnabled()


def test_a_brief_is_shown_to_one_person_only(qtbot: QtBot, ctx: Ripple) -> None:
    t = triad(ctx.store)
    console = _console(qtbot, ctx, t.workshop)
    rnd = t.rounds[0]
    briefs = {r.key: r.brief for r in CARDS["objection-handling"].roles}
    customer = next(c.participant_id for c in rnd.cast if c.role == "customer")
    overlay = console.roleplay.show_brief(rnd.id, customer)
    assert overlay is not None and overlay.isVisible()
    text = " ".join(overlay.shown_text().split())
    assert briefs["customer"][:60] in text and "You play: Customer" in text
    assert briefs["seller"][:60] not in text and briefs[OBSERVER_ROLE][:60] not in text
    assert overlay.geometry().size() == console.window().geometry().size()  # the console is covered
    qtbot.keyClick(overlay, Qt.Key.Key_Escape)
    assert not overlay.isVisible()


def test_a_role_play_without_a_card_says_so_and_keys_still_log_shares(qtbot: QtBot, ctx: Ripple) -> None:
    t = triad(ctx.store)
    bare = add_agenda_item(ctx.store, t.workshop, "role_play", "No card yet")
    debrief = add_agenda_item(ctx.store, t.workshop, "debrief", "What did we learn?")
    console = _console(qtbot, ctx, t.workshop)
    assert console.live is not None
    console.live.go_to(bare)
    assert console.roleplay.isVisible() and "no scenario yet" in console.roleplay.situation.text()
    assert console.roleplay.cards == {}
    qtbot.keyClick(console, Qt.Key.Key_1)  # nothing records: the key is a person's share
    assert len(console.live.contributions()) == 1
    console.live.go_to(t.item)
    assert list(console.roleplay.cards) == [0]
    qtbot.mouseClick(console.roleplay.cards[0].start_button, Qt.MouseButton.LeftButton)
    assert load_round(ctx.store, t.rounds[0].id).started
    console.live.go_to(debrief)
    assert not console.roleplay.isVisible()


def test_the_rubric_shows_a_raters_scores_and_rating_again_adds_the_newer(qtbot: QtBot, ctx: Ripple,
                                                                          tmp_path: Path) -> None:
    p = played(ctx.store, tmp_path / "clips")  # the observer gave the seller 4 on eye contact, "Steady"
    console = _console(qtbot, ctx, p.t.workshop)
    card = console.roleplay.cards[0]
    qtbot.mouseClick(card.next_button, Qt.MouseButton.LeftButton)  # play → feedback: the rubric opens
    assert card.rate_button.isVisible()
    dialog = console.roleplay.rate(0)
    assert dialog is not None
    raters = [dialog.rater_box.itemData(i) for i in range(dialog.rater_box.count())]
    assert raters == [None, p.observer]  # the trainer and the round's observer, never a player
    assert dialog.tabs.count() == 2  # one page per player
    assert dialog.score(p.seller, "next_step") == 2  # the trainer's
    dialog.choose_rater(p.observer)
    key = (p.seller, "eye_contact")
    assert dialog.score(*key) == 4 and dialog.comments[key].text() == "Steady"
    assert dialog.score(p.seller, "next_step") is None
    qtbot.mouseClick(dialog.score_buttons[key][4], Qt.MouseButton.LeftButton)  # 5 now
    before = max_seq(ctx.store)
    saved: list[int] = []
    dialog.sig_saved.connect(saved.append)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert saved == [1] and max_seq(ctx.store) == before + 1  # only the changed score is written
    now = {(r.player, r.criterion, r.rater): r.score for r in ratings_of(ctx.store, p.round_id)}
    assert now[(p.seller, "eye_contact", p.observer)] == 5 and now[(p.seller, "next_step", None)] == 2
    again = console.roleplay.rate(0)
    assert again is not None
    again.choose_rater(p.observer)
    qtbot.mouseClick(again.score_buttons[key][4], Qt.MouseButton.LeftButton)  # a second click clears it
    assert again.score(*key) is None


def test_closing_mid_recording_keeps_the_round_s_recording(qtbot: QtBot, ctx: Ripple) -> None:
    ctx.settings.camera = "synthetic"
    t = triad(ctx.store)
    console = _console(qtbot, ctx, t.workshop)
    panel = console.roleplay
    panel.start(0)
    assert panel.record(0) and panel.recording is not None
    take = panel.recording
    qtbot.waitUntil(lambda: take.offset_s > 0.5, timeout=10000)
    panel.shutdown()
    assert panel.recording is None and load_round(ctx.store, t.rounds[0].id).clip_id is not None
