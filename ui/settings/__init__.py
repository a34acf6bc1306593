"""Settings: page (the shared store's form, sync status), controller (background syncs on a
timer), indicator (the sync status in the nav rail), about (version, schema, folders,
diagnostics), preferences (appearance, facilitator, the booth's camera, microphone and clip length)."""
