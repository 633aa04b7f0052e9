/** `POST /incidents/{id}/notes`: a work note or a customer-visible comment. @module */
import { ulid } from 'ulid';
import { addNote, type IncidentNote } from '../../shared/domain/incident.js';
import { httpHandler } from '../../shared/http/http-handler.js';
import { routes } from '../routes.js';
import { changeIncident } from './incident-access.js';

export const handler = httpHandler(routes.addIncidentNote, async ({ actor, params, body }) => {
  const now = new Date().toISOString();
  let note: IncidentNote | undefined;
  // Notes do not take If-Match: adding one cannot lose anybody's edit.
  const incident = await changeIncident(actor, params.id, undefined, (current) => {
    const change = addNote(current, body, ulid(), { actor, now });
    note = change.note;
    return change;
  });
  return { statusCode: 201, body: note, headers: { location: `/incidents/${incident.id}/notes/${note?.id}` } };
});
