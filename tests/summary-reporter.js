// Adds each jest run's totals to $BRIGADE_TEST_SUMMARY (when set), so .ci/run can print one closing line
// for the unit and integration runs together.
const { appendFileSync } = require('node:fs');

module.exports = class SummaryReporter {
  onRunComplete(_contexts, results) {
    const file = process.env.BRIGADE_TEST_SUMMARY;
    if (!file) return;
    const { numPassedTests: passed, numFailedTests: failed, numPendingTests: skipped } = results;
    appendFileSync(file, `${JSON.stringify({ passed, failed, skipped })}\n`);
  }
};
