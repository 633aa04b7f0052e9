/**
 * The one structured logger (Powertools): JSON lines with the service name,
 * level from `POWERTOOLS_LOG_LEVEL`. The HTTP middleware and the background
 * wrapper append the request's keys (tenant, user, route, request and
 * correlation ids) and clear them after each invocation.
 * @module
 */
import { Logger } from '@aws-lambda-powertools/logger';

export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'itsm' });
