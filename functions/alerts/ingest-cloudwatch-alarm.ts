/**
 * CloudWatch alarms → incidents. An EventBridge rule on the account's
 * default bus delivers every `CloudWatch Alarm State Change`; the alarm's
 * tags say which tenant (`itsm:tenant`), CI (`itsm:ci`) and severity
 * (`itsm:severity`, default `error`) it is about. ALARM triggers and OK
 * resolves through the same ingestion as `POST /alerts`, with the alarm ARN
 * as dedup key; INSUFFICIENT_DATA is ignored.
 *
 * Errors: anything that a retry cannot fix (no tenant tag, a deleted alarm)
 * is logged and swallowed, because a thrown error makes EventBridge and
 * Lambda retry and then dead-letter the event. Transient failures
 * (throttling, DynamoDB) are thrown so that the retries happen.
 * @module
 */
import { CloudWatchClient, ListTagsForResourceCommand } from '@aws-sdk/client-cloudwatch';
import type { EventBridgeEvent } from 'aws-lambda';
import { ALERT_SEVERITIES, type AlertAction, type AlertPayload, type AlertSeverity } from '#shared/domain/alerts/alert.js';
import { isSafeId } from '#shared/domain/identifiers.js';
import { backgroundHandler } from '#shared/observability/background-handler.js';
import { logger } from '#shared/observability/logger.js';
import { traced } from '#shared/observability/tracer.js';
import { type IngestResult, ingestAlert } from '#shared/services/alerts/alert-ingestion.js';

/** The tags an alarm carries for us. */
export const ALARM_TAGS = { tenant: 'itsm:tenant', ci: 'itsm:ci', severity: 'itsm:severity' } as const;
/** Severity of an alarm without a usable `itsm:severity` tag: an alarm is an error until said otherwise. */
export const DEFAULT_ALARM_SEVERITY: AlertSeverity = 'error';

/** The `detail` of a CloudWatch Alarm State Change event (the members we read). */
export interface AlarmStateChangeDetail {
  readonly alarmName: string;
  readonly state: { readonly value: string; readonly reason?: string; readonly timestamp?: string };
  readonly previousState?: { readonly value: string };
  readonly configuration?: { readonly description?: string };
}

export type AlarmStateChangeEvent = EventBridgeEvent<'CloudWatch Alarm State Change', AlarmStateChangeDetail>;

/** What the handler did, for the log line and the tests. */
export type AlarmIngestResult = IngestResult | { readonly action: 'ignored'; readonly reason: string };

const cloudwatch = traced(new CloudWatchClient({ maxAttempts: 3 }));

/**
 * Tags change rarely and ListTagsForResource is rate-limited, while a
 * flapping alarm sends many events: a warm function remembers each alarm's
 * tags for a few minutes (a re-tagged alarm is followed after that).
 */
const TAG_CACHE_MS = 5 * 60_000;
const tagCache = new Map<string, { readonly tags: Readonly<Record<string, string>>; readonly expires: number }>();

/** The alarm's tags, or `null` when the alarm no longer exists. */
async function alarmTags(alarmArn: string): Promise<Readonly<Record<string, string>> | null> {
  const cached = tagCache.get(alarmArn);
  if (cached && cached.expires > Date.now()) return cached.tags;
  try {
    const result = await cloudwatch.send(new ListTagsForResourceCommand({ ResourceARN: alarmArn }));
    const tags = Object.fromEntries((result.Tags ?? []).flatMap((tag) => (tag.Key === undefined ? [] : [[tag.Key, tag.Value ?? '']])));
    tagCache.set(alarmArn, { tags, expires: Date.now() + TAG_CACHE_MS });
    return tags;
  } catch (error) {
    if ((error as { name?: string }).name === 'ResourceNotFoundException') return null;
    throw error;
  }
}

function ignored(reason: string, context: Record<string, unknown>): AlarmIngestResult {
  logger.info(`CloudWatch alarm ignored: ${reason}`, context);
  return { action: 'ignored', reason };
}

const ACTION_OF_STATE: Readonly<Record<string, AlertAction>> = { ALARM: 'trigger', OK: 'resolve' };

/** EventBridge target: one alarm state change in, one ingestion (or a logged ignore) out. */
async function handle(event: AlarmStateChangeEvent): Promise<AlarmIngestResult> {
  const alarmArn = event.resources?.[0];
  const detail = event.detail;
  const state = detail?.state?.value;
  const context = { alarmArn, state, eventId: event.id };
  if (!alarmArn || !state || !detail.alarmName) return ignored('not an alarm state change', context);
  const action = ACTION_OF_STATE[state];
  if (!action) return ignored(`state ${state} neither opens nor resolves anything`, context);

  const tags = await alarmTags(alarmArn);
  if (!tags) return ignored('the alarm no longer exists', context);
  const tenantId = tags[ALARM_TAGS.tenant];
  if (!isSafeId(tenantId)) {
    // Most alarms in an account are not ours; a malformed tag is a setup mistake worth a warning.
    if (tenantId !== undefined) logger.warn(`Alarm tag ${ALARM_TAGS.tenant} is not a tenant id`, { ...context, tenantId });
    return ignored(`no usable ${ALARM_TAGS.tenant} tag`, context);
  }
  const severityTag = tags[ALARM_TAGS.severity];
  const severity = ALERT_SEVERITIES.find((candidate) => candidate === severityTag) ?? DEFAULT_ALARM_SEVERITY;
  const ci = tags[ALARM_TAGS.ci];

  const description = detail.configuration?.description?.trim();
  const payload: AlertPayload = {
    summary: `CloudWatch alarm ${detail.alarmName}${description ? `: ${description}` : ''}`,
    source: `aws:${event.account}:${event.region}`,
    severity,
    component: isSafeId(ci) ? ci : undefined,
    class: 'cloudwatch-alarm',
    customDetails: {
      alarmArn,
      state,
      previousState: detail.previousState?.value ?? null,
      reason: detail.state.reason ?? null,
      stateChangedAt: detail.state.timestamp ?? event.time,
    },
  };
  const result = await ingestAlert(tenantId, {
    action,
    dedupKey: alarmArn,
    payload,
    client: 'Amazon CloudWatch',
    clientUrl: `https://console.aws.amazon.com/cloudwatch/home?region=${event.region}#alarmsV2:alarm/${encodeURIComponent(detail.alarmName)}`,
    integration: 'cloudwatch',
  });
  logger.info('CloudWatch alarm ingested', { ...context, tenantId, ...result });
  return result;
}

/** The Lambda entry point: `handle` with the invocation's log keys, trace and metrics. */
export const handler = backgroundHandler('alerts/ingest-cloudwatch-alarm', handle);
