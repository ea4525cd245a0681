/**
 * Runs before every test file (jest.config.js `setupFiles`): the runner's lines are all a passing
 * run prints. Handlers log and publish metrics through Powertools as they do in Lambda; what they
 * say there, the tests assert. (Node's warning that node:sqlite is experimental is turned off by
 * the `test` script's --disable-warning, which the workers inherit; jest.config.js adds it when
 * Jest was started without it.)
 */
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.POWERTOOLS_METRICS_NAMESPACE ??= 'ClearanceTests';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
