/**
 * Where a function finds the ARN of a workflow it starts: one environment
 * variable per workflow, named after it, set by the CDK stack (and by the
 * local runtime to its local ARN). Pure, so CDK code can use it.
 * @module
 */

/** `incident-escalation` → `INCIDENT_ESCALATION_STATE_MACHINE_ARN`. */
export function stateMachineArnVariable(workflow: string): string {
  return `${workflow.replace(/-/g, '_').toUpperCase()}_STATE_MACHINE_ARN`;
}
