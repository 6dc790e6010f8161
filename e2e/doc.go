// Package e2e tests the notebook lab end to end, against the real thing: Jupyter started by
// kernel-setup/lab.sh, the GoNB kernel, Debian's Chromium driven with chromedp, and
// kernel-setup/run-notebooks.sh. It has no code of its own; everything is in its tests.
//
//   - TestBrowserRunsStartHere opens a copy of notebooks/00_start_here.ipynb in headless
//     Chromium, runs every cell in quick mode and checks for inline plots and no errors. It
//     saves a screenshot to $LMKIT_ARTIFACTS/start_here.png (default out/e2e/).
//   - TestBrokenCellFailsRun runs a notebook with a compile error through run-notebooks.sh.
//   - TestPortInUse and TestNoEmptyToken check lab.sh's port check, token and loopback binding.
//
// The tests need Jupyter with the lab's kernel (make lab-setup) and, for the browser test,
// Chromium (apt-get install chromium). Without them they skip in a second, unless
// LMKIT_REQUIRE_LAB=1 (make e2e, make test), which turns a missing piece into a failure.
// Every server binds 127.0.0.1 on a free port with its own token, runtime folder and notebook
// folder, and is stopped, with its kernels, when its test ends.
package e2e
