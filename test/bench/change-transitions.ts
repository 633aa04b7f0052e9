/**
 * State transitions per change on the common paths: the real
 * `change-approval.asl.json`, task function and rules run by the local
 * runner (see test/statemachines/change-world.ts); each state entered is a
 * billed Standard-workflow transition.
 */
import type { ChangeCalendarSettings } from '#shared/domain/changes/change-calendar.js';
import type { Actor } from '#shared/domain/roles.js';
import {
  admin,
  awaitingApproval,
  awaitingImplementation,
  cab,
  createWorld,
  manager,
  policies,
  report,
  requester,
  techLead,
  vote,
} from '../statemachines/change-world.js';

/** Step Functions Standard list price, per state transition (us-east-1). */
export const PRICE_PER_TRANSITION_USD = 0.025 / 1000;

export interface TransitionFigure {
  readonly path: string;
  readonly transitions: number;
  readonly events: number;
  readonly usdPerMillionChanges: number;
}

type World = ReturnType<typeof createWorld>;

/** Runs one path: `drive` plays the people while the workflow runs. */
async function measure(path: string, world: World, id: string, drive: (world: World, id: string) => Promise<void>): Promise<TransitionFigure> {
  const execution = world.start(id);
  await drive(world, id);
  const result = await execution;
  if (result.status !== 'SUCCEEDED') throw new Error(`${path}: ${result.status} ${result.error ?? ''}`);
  const transitions = result.states.length;
  return { path, transitions, events: world.eventsOf(id).length, usdPerMillionChanges: transitions * PRICE_PER_TRANSITION_USD * 1_000_000 };
}

const implement = (result: 'success' | 'failed') => async (world: World, id: string) => {
  await world.until(id, awaitingImplementation);
  world.act(id, requester, report(result));
};

const approveBoth = async (world: World, id: string) => {
  await world.until(id, awaitingApproval(0));
  world.act(id, techLead, vote('approve'));
  await world.until(id, awaitingApproval(1));
  world.act(id, cab[0] as Actor, vote('approve'));
  world.act(id, cab[1] as Actor, vote('approve'));
};

export async function measureChangeTransitions(): Promise<TransitionFigure[]> {
  const figures: TransitionFigure[] = [];
  let world = createWorld();
  figures.push(await measure('standard (pre-approved)', world, world.raise('standard', policies()), implement('success')));
  world = createWorld();
  figures.push(
    await measure('normal, 2 levels approved', world, world.raise('normal', policies()), async (w, id) => {
      await approveBoth(w, id);
      await implement('success')(w, id);
    }),
  );
  world = createWorld();
  figures.push(
    await measure('normal, rejected at level 2', world, world.raise('normal', policies()), async (w, id) => {
      await w.until(id, awaitingApproval(0));
      w.act(id, techLead, vote('approve'));
      await w.until(id, awaitingApproval(1));
      w.act(id, cab[0] as Actor, vote('reject'));
    }),
  );
  world = createWorld();
  figures.push(
    await measure('emergency, 1 level', world, world.raise('emergency', policies()), async (w, id) => {
      await w.until(id, awaitingApproval(0));
      w.act(id, manager, vote('approve'));
      await implement('success')(w, id);
    }),
  );
  const now = Date.now();
  const freeze: ChangeCalendarSettings = {
    blackouts: [
      { id: 'f', name: 'Freeze', start: new Date(now - 3_600_000).toISOString(), end: new Date(now + 3_600_000).toISOString(), ciIds: [], serviceIds: [] },
    ],
    maintenanceWindows: [],
  };
  world = createWorld(freeze);
  figures.push(
    await measure('emergency overriding a freeze (+1 level)', world, world.raise('emergency', policies()), async (w, id) => {
      await w.until(id, awaitingApproval(0));
      w.act(id, manager, vote('approve'));
      await w.until(id, awaitingApproval(1));
      w.act(id, admin, vote('approve'));
      await implement('success')(w, id);
    }),
  );
  world = createWorld();
  figures.push(
    await measure('normal, failed → rollback', world, world.raise('normal', policies()), async (w, id) => {
      await approveBoth(w, id);
      await implement('failed')(w, id);
    }),
  );
  return figures;
}
