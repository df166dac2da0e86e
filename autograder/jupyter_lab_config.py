"""JupyterLab's configuration for the course: students see the course, not JupyterLab's news and updates.

JupyterLab reads this file when started with JUPYTER_CONFIG_PATH pointing at this folder (`make lab`,
`make formgrader` and Binder's `start` do that), like nbgrader_config.py beside it.

- The settings defaults in autograder/jupyterlab/settings/overrides.json turn off JupyterLab's prompt
  "Would you like to get notified about official Jupyter news?" and its update check. They replace the
  defaults of the installation's own overrides.json ({sys.prefix}/share/jupyter/lab/settings/), if any.
  A student may still turn either on in Settings; the server then has nothing to fetch:
- the server neither fetches the news feed nor checks for a newer JupyterLab.
"""

import os

c = get_config()  # noqa: F821 - provided by traitlets when it loads this file

_here = os.path.dirname(os.path.abspath(__file__))

c.LabApp.app_settings_dir = os.path.join(_here, "jupyterlab", "settings")
c.LabApp.news_url = None
c.LabApp.check_for_updates_class = "jupyterlab.handlers.announcements.NeverCheckForUpdate"
