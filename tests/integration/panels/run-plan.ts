import type { Plan, PlanStep, StepContext, StepResult } from '../../../src/main/operations/operation.types';
import { OperationSecrets } from '../../../src/main/operations/secret-set';

/** What a plan run recorded: every command line (redacted as the journal would) and log line. */
export interface PlanRun {
  readonly commands: string[];
  readonly logs: string[];
}

/**
 * Runs a plan's steps in order like the operations engine (rolling back the finished ones, newest first, when a
 * step fails) but rethrows the step's own error, so a test can check its typed code. The journal's recording is
 * kept in memory (`run.commands`), redacted with the operation's secrets.
 */
export async function runPlan(plan: Plan, run: PlanRun = { commands: [], logs: [] }): Promise<PlanRun> {
  const secrets = new OperationSecrets();
  for (const s of plan.secrets ?? []) secrets.add(s);
  const results = new Map<string, StepResult>();
  const done: [PlanStep, StepResult][] = [];
  const ctxFor = (step: PlanStep): StepContext => ({
    operationId: 'op-test',
    serverId: plan.serverId,
    stepId: step.id,
    signal: new AbortController().signal,
    log: (line) => run.logs.push(secrets.redact(line)),
    record: (command, code, output) => run.commands.push(secrets.redact(`${command} => ${String(code)} ${output}`)),
    secrets,
    results,
  });
  for (const step of plan.steps) {
    try {
      const result = (await step.run(ctxFor(step))) ?? {};
      results.set(step.id, result);
      done.push([step, result]);
    } catch (e) {
      for (const [s, result] of done.reverse()) await s.rollback?.({ ...ctxFor(s), result });
      throw e;
    }
  }
  return run;
}
