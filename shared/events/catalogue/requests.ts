/**
 * Events of the service-request practice (catalogue items, requests and
 * their fulfilment tasks): detail schemas and catalogue entries.
 * @module
 */
import * as z from 'zod';
import { EventEnvelope, eventsOf, FieldChangeSchema } from './common.js';

/** Detail of every request event; task events name the task in `facts.taskNumber`. */
export const RequestEventDetail = EventEnvelope.extend({
  requestId: z.string(),
  number: z.string(),
  version: z.number().int(),
  itemId: z.string(),
  itemCode: z.string(),
  itemVersion: z.number().int(),
  requesterId: z.string(),
  status: z.string(),
  changes: z.array(FieldChangeSchema),
  facts: z.record(z.string(), z.unknown()),
});
export type RequestEventDetail = z.infer<typeof RequestEventDetail>;

/** Detail of every catalogue item event. */
export const CatalogueItemEventDetail = EventEnvelope.extend({
  itemId: z.string(),
  code: z.string(),
  version: z.number().int(),
  status: z.string(),
  changes: z.array(FieldChangeSchema),
  facts: z.record(z.string(), z.unknown()),
});
export type CatalogueItemEventDetail = z.infer<typeof CatalogueItemEventDetail>;

/** The service-request practice's events: detail-type → source, schema, description. */
export const requestEvents = {
  ...eventsOf('itsm.requests', RequestEventDetail, {
    RequestSubmitted:
      'A request was raised against a published catalogue item version; `facts.preApproved` when the item needs no approval (fulfilment started).',
    RequestApprovalRecorded: 'An approver approved; `facts.outcome` is `level_approved` when the vote completed a level that is not the last.',
    RequestApprovalEscalated:
      'An approval level waited its hours without a decision: its escalation approvers joined it (a second timeout expires the approval).',
    RequestApproved: 'Every approval level reached its quorum: the first stage of tasks opened (`facts.openedTasks`).',
    RequestRejected: 'An approver rejected the request (`facts.comment`), or its approval expired (`facts.outcome` `expired`).',
    RequestTaskAssigned: 'A fulfilment task was assigned (`facts.group`, `facts.assigneeId`; `facts.returnedDispatch` when it moved to another group).',
    RequestTaskStarted: 'Work on a fulfilment task started.',
    RequestTaskNoteAdded: 'A work note was added to a fulfilment task.',
    RequestTaskCompleted: 'A fulfilment task was completed; `facts.nextStage` when it completed its stage and the next one opened.',
    RequestFulfilled:
      'Every task of the last stage is complete; `facts.withinTarget` against the fulfilment target; closes by itself at `facts.autoCloseAt` unless confirmed.',
    RequestFailed: 'A task could not be done: the request failed (`facts.reason`), its other tasks were cancelled.',
    RequestAwaitingRequester: 'Staff asked the requester something; the fulfilment clock is paused.',
    RequestResumed: 'The requester replied; the clock resumed and due times moved on by the paused business time.',
    RequestClosed:
      'Closed: `facts.by` is `requester` (confirmed), `staff` (confirmed on their behalf) or `auto`; the callback falls due at `facts.callbackDueAt`.',
    RequestCancelled: 'Withdrawn or cancelled before fulfilment ended (`facts.reason`).',
    RequestCallbackDue: 'The scheduled follow-up after closure fell due: the service desk calls the requester back (`facts.reopenUntil`).',
    RequestCallbackRecorded: 'The callback after closure recorded whether the requester is satisfied (`facts.satisfied`, `facts.reopened`).',
    RequestReopened: 'A "not satisfied" callback within the window reopened the request: the last stage\'s tasks opened again.',
    RequestResponseTargetBreached:
      "The response target was missed: no staff action or approver's vote by `facts.responseDueAt` (the item's responseMinutes in its business calendar).",
    RequestFulfilmentTargetBreached:
      'The fulfilment target was missed: not fulfilled by `facts.fulfilmentDueAt` (business hours from approval, time awaiting the requester excepted); `facts.stage` is the stage in progress.',
  }),
  ...eventsOf('itsm.requests', CatalogueItemEventDetail, {
    CatalogueItemCreated: 'A catalogue item was created as a draft.',
    CatalogueItemUpdated: "A catalogue item's draft or visibility changed (published versions are untouched).",
    CatalogueItemPublished: 'The draft was published as the next version (`facts.itemVersion`): new requests are raised against it.',
    CatalogueItemRetired: 'A catalogue item was retired: no new requests; raised ones go on under their version.',
  }),
};
