/**
 * Process-wide defaults of the local runtime, set before any module that
 * reads them loads (the local stack imports this first: the logger reads
 * its level once, and the X-Ray SDK picks its context mode once, both when
 * their modules load).
 * @module
 */

// Warnings and errors only, unless the developer asks for more.
process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
// Tracing is off outside Lambda, but merely loading the X-Ray SDK (through
// the Powertools tracer) installs an async hook that runs on every promise
// of the process; in the local stack, where every function shares one
// process, that was ~7 % of its CPU under load. Manual mode installs none.
process.env.AWS_XRAY_MANUAL_MODE ??= 'true';
