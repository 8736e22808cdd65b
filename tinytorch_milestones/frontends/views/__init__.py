"""Progress views over the core's `status()`: widgets, HTML and plain text.

`kinds` says what each view (progress, list, status) shows; `text`, `html`, `terminal` and `widgets`
render it (the terminal through the core's rich tables); `milestones_view` and `unlock_panel` are the
objects the magic returns, offering every form at once (`view_object`); `live` keeps them true to the
progress file; `theme` holds JupyterLab's colours.
"""
