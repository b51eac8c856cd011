"""Each page's sections: what the pages put on the screen, one module per page (home, map, planner, notes) and the
About page's staff-only refresh. Pages call these; these call the rest of ``ui``."""
