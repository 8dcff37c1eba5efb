"""The camera in the window: capture and decode loops on their own threads, the live view,
photos dropped or pasted, and the pause behind modal dialogs."""
