/** CDK entry point (`cdk.json` → `npx tsx infra/app.ts`): wiring only, see `itsm-app.ts`. Stage: `-c stage=prod`. */
import { buildApp } from './itsm-app.js';

buildApp();
