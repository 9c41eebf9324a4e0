"""The `tiergate-manifest` pre-commit hook.

It regenerates the manifest (`tiergate scan`); when the manifest changes, pre-commit
sees the file modified and stops the commit so the new manifest is staged with it.

One case is different: a commit that the gate refuses for another reason (a committed
credential, a lowered tier). A manifest rewritten for that commit would only be left
behind in the work tree, and the commit would fail twice over (the modified file, and
the gate). So when the manifest changes, the hook asks the gate about the change as
staged; if anything but the manifest's staleness fails, it puts the manifest back as
it was and passes: the gate hook, which runs next, reports the one problem. Once that
is fixed, the next attempt regenerates the manifest as usual.
"""

import json
import os
import subprocess
import sys


def _git(*args):
    return subprocess.run(
        ["git", *args], check=True, stdout=subprocess.PIPE
    ).stdout


def _changed():
    """Tracked files whose work-tree content differs from the index, and untracked
    files git does not ignore."""
    tracked = _git("diff", "--name-only", "-z").split(b"\0")
    untracked = _git("ls-files", "--others", "--exclude-standard", "-z").split(b"\0")
    return {p for p in tracked if p}, {p for p in untracked if p}


def _refused_for(report):
    """The failing verdict codes of a `tiergate check --format json` report, other
    than a stale manifest."""
    return sorted(
        {
            v["code"]
            for v in report["verdicts"]
            if v.get("fails") and v["code"] != "stale-manifest"
        }
    )


def manifest_hook(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    tracked_before, untracked_before = _changed()
    code = subprocess.call(["tiergate", "scan", *argv])
    if code != 0:
        return code
    tracked_after, untracked_after = _changed()
    rewritten = sorted(tracked_after - tracked_before)
    created = sorted(untracked_after - untracked_before)
    if not rewritten and not created:
        return 0
    check = subprocess.run(
        ["tiergate", "check", "--staged", "--format", "json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    try:
        refused = _refused_for(json.loads(check.stdout))
    except (ValueError, KeyError, TypeError):
        # No report to go by: keep the new manifest, the usual way.
        refused = []
    if not refused:
        # pre-commit sees the new manifest and stops the commit until it is staged.
        return 0
    if rewritten:
        _git("checkout", "--", *rewritten)
    for path in created:
        os.remove(path)
    sys.stdout.write(
        "tiergate: manifest left as staged: the gate refuses this commit (%s)\n"
        % ", ".join(refused)
    )
    return 0


def main():
    sys.exit(manifest_hook())
