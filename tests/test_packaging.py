"""The stages live in their own folders but install under the keikaku namespace: pip puts no
package named extract, normalize or load into site-packages (issue 10)."""
from __future__ import annotations

import subprocess
import sys


def test_the_stages_import_under_keikaku_and_not_at_top_level(tmp_path):
    script = ("import importlib.util, keikaku.extract.recognize, keikaku.normalize, keikaku.load.db\n"
              "print([importlib.util.find_spec(name) is None for name in ('extract', 'normalize', 'load')])\n"
              "print(keikaku.load.db.schema_sql().startswith('--') or 'CREATE' in keikaku.load.db.schema_sql())")
    done = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["[True,", "True,", "True]", "True"]
