/**
 * The local runtime logs warnings and errors only, unless
 * `POWERTOOLS_LOG_LEVEL` says otherwise. Imported first by the local stack:
 * the logger reads its level once, when its module loads, which the local
 * stack's own imports already do.
 * @module
 */
process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
