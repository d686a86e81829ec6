/**
 * Writes the run's totals to test-output/summary.json; scripts/test.js prints the closing
 * line `tests: N passed, N failed[, N skipped]` from it after Jest has exited.
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');

class SummaryReporter {
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir;
  }

  onRunComplete(_contexts, results) {
    const failedSuites = results.numFailedTestSuites - 0;
    const summary = {
      passed: results.numPassedTests,
      // A suite that fails to load has no failed *tests*; count it so a broken file can't pass silently.
      failed: results.numFailedTests + results.testResults.filter((r) => r.testExecError).length,
      skipped: results.numPendingTests + results.numTodoTests,
      failedSuites,
      runtimeErrors: results.runExecError ? 1 : 0,
    };
    const dir = path.join(this.rootDir, 'test-output');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'summary.json'), JSON.stringify(summary));
  }
}

module.exports = SummaryReporter;
