/**
 * The one structured logger (Powertools): JSON lines with the service name,
 * level from `POWERTOOLS_LOG_LEVEL`.
 * @module
 */
import { Logger } from '@aws-lambda-powertools/logger';

export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'itsm' });
