"""The investigator app (Dash): ranked networks and link charts over a GraphIntel store.

Start it with ``graphintel serve`` or ``dashboards.app.serve(store_url)``.
"""
