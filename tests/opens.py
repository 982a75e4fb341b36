"""Run a module, or the Streamlit app, and record every file it opens under the evaluation data.

    python tests/opens.py LOG -m qa ask "question"
    python tests/opens.py LOG --app QUESTION

Used by test_no_eval_data.py: the product must never read ../shared/ or bench/eval/, where the
questions it is measured on live.
"""

from __future__ import annotations

import os
import runpy
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = (str(ROOT.parent / "shared"), str(ROOT / "bench" / "eval"))


def main() -> None:
    log, mode, *rest = sys.argv[1:]
    Path(log).write_text("", encoding="utf-8")

    def hook(event: str, args: tuple) -> None:
        # Written at once: a server stopped by a signal never runs exit handlers.
        if event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
            path = os.path.abspath(os.fsdecode(args[0]))
            if path.startswith(FORBIDDEN):
                with open(log, "a", encoding="utf-8") as f:
                    f.write(path + "\n")

    sys.path[0] = str(ROOT)  # as `python -m` from the project folder, not from tests/
    sys.addaudithook(hook)
    if mode == "-m":
        sys.argv = [rest[0], *rest[1:]]
        runpy.run_module(rest[0], run_name="__main__", alter_sys=True)
    else:
        from streamlit.testing.v1 import AppTest

        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600).run()
        at.chat_input[0].set_value(rest[0]).run()
        assert not at.exception, at.exception


if __name__ == "__main__":
    main()
