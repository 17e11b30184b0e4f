'use strict';
// Preloaded into serverless-offline's process only (`node --require`, see offline.ts). serverless-offline runs in
// a process group of its own (so stop() ends its children too), which also means an interrupt or a kill aimed at
// the local cloud's process does not reach it: if that process dies without stopping it (kill -9, a crash, a
// wrapper that kills it), serverless-offline would keep the HTTP, WebSocket and Lambda ports, and the next
// `npm start` would fail on them. So it watches its parent, and once orphaned it stops as stop() would make it:
// an interrupt first, then an exit if that has not ended it.
// Plain CommonJS because it loads before any TypeScript loader exists in that process.

const CHECK_EVERY_MS = 1_000;
const EXIT_AFTER_MS = 5_000;

/** Calls `onOrphaned` once, the first time `parentPid()` is no longer the parent it started with. */
function watchParent(parentPid, onOrphaned, everyMs = CHECK_EVERY_MS) {
  const parent = parentPid();
  const timer = setInterval(() => {
    if (parentPid() === parent) return;
    clearInterval(timer);
    onOrphaned(parent);
  }, everyMs);
  timer.unref(); // never what keeps the process alive
  return timer;
}

function stopOrphan(parent) {
  console.error(`[offline] the local cloud (pid ${parent}) is gone: stopping`);
  setTimeout(() => process.exit(1), EXIT_AFTER_MS).unref();
  process.kill(process.pid, 'SIGINT');
}

// offline.ts turns it on for the process it starts (a test that loads this file watches nothing unasked).
if (process.env.BRIGADE_WATCH_PARENT === '1') watchParent(() => process.ppid, stopOrphan);

module.exports = { watchParent };
