import { resolve } from 'node:path';
import { allChecksPassed, playScenario, type ScenarioResult } from '../scenario/play-scenario';
import { renderSummary, renderTree, renderVisibilityTable } from '../scenario/report';
import { defaultScenarioPath, loadScenario, withDeclaredPart, type Scenario } from '../scenario/scenario';
import { EXIT_FAILED, EXIT_OK, parseCommandArgs, UsageError } from './cli-io';
import { DEFAULT_URL } from './submit';

export const DEMO_USAGE = `demo [--url ${DEFAULT_URL}] [--operator-token T] [--scenario file.json]`;

/** Plays the battery-chain scenario against a running exchange and shows what came of it. */
export async function demoCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    url: { type: 'string', default: DEFAULT_URL },
    'operator-token': { type: 'string', default: process.env.EXCHANGE_OPERATOR_TOKEN },
    scenario: { type: 'string' },
  });
  if (positionals.length > 0) throw new UsageError(DEMO_USAGE);
  const operatorToken = values['operator-token'];
  if (!operatorToken) throw new UsageError('the operator token is needed: --operator-token or EXCHANGE_OPERATOR_TOKEN');
  const scenarioPath = values.scenario ? resolve(values.scenario) : defaultScenarioPath();
  const scenario = loadScenario(scenarioPath);

  await requireHealthy(values.url);
  console.log(`playing ${scenarioPath} against ${values.url}\n`);
  const result = await playScenario({ baseUrl: values.url, operatorToken, scenario, log: (line) => console.log(line) });
  printOutcome(scenario, result);
  return allChecksPassed(result) ? EXIT_OK : EXIT_FAILED;
}

/** Fails with a hint when no exchange answers at `baseUrl`. */
export async function requireHealthy(baseUrl: string): Promise<void> {
  const url = `${baseUrl.replace(/\/+$/, '')}/health`;
  const response = await fetch(url).catch((error: Error) => {
    throw new Error(
      `no exchange answers at ${baseUrl} (${error.cause instanceof Error ? error.cause.message : error.message}); start it with "npm start"`,
    );
  });
  if (!response.ok) throw new Error(`${url} answered ${response.status}: the exchange is not ready`);
}

function printOutcome(scenario: Scenario, result: ScenarioResult): void {
  const sections: Array<[string, string[]]> = [
    ['The chain (version 1 footprints, kg CO2e per declared unit)', renderTree(withDeclaredPart(scenario), result.totals)],
    ['Who could see what', renderVisibilityTable(result.visibility)],
    ['Outcome', renderSummary(result)],
  ];
  for (const [title, lines] of sections) console.log(`\n${title}\n${lines.join('\n')}`);
}
