import type { IamMoto, PolicyStatementJson } from './iam-moto';
import {
  type DeployedResources,
  functionEnvironment,
  MOTO_REGION,
  roleStatements,
  type TemplateJson,
} from './template-on-moto';

/** Loads Lambda code as a synthesized function would run it, with the rights of its role only. */
export interface RoleRunner {
  /** The function's role statements, optionally with one action taken out wherever it is granted. */
  statements(functionId: string, withoutAction?: string): PolicyStatementJson[];
  /**
   * Loads a module afresh (its module-scope SDK clients included) with the function's template environment,
   * moto's endpoint and the access keys of a new IAM user holding `statements` (by default the role's).
   */
  load<T>(
    functionId: string,
    load: () => Promise<T>,
    options?: { readonly statements?: readonly PolicyStatementJson[]; readonly env?: Record<string, string> },
  ): Promise<T>;
  /** Puts `process.env` back as it was when the runner was made. */
  restore(): void;
}

let users = 0;

/** A {@link RoleRunner} for the functions of one synthesized template deployed on an IAM-enforcing moto. */
export const runAsRole = (moto: IamMoto, template: TemplateJson, deployed: DeployedResources): RoleRunner => {
  const saved = { ...process.env };
  const restore = () => {
    for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
    Object.assign(process.env, saved);
  };
  const statements = (functionId: string, withoutAction?: string): PolicyStatementJson[] =>
    roleStatements(template, functionId, deployed).flatMap((statement) => {
      const actions = [statement.Action].flat().filter((action) => action !== withoutAction);
      return actions.length > 0 ? [{ ...statement, Action: actions }] : [];
    });
  return {
    statements,
    restore,
    load: async (functionId, load, options = {}) => {
      users += 1;
      const credentials = await moto.principal(
        `parity-${users}-${functionId}`.slice(0, 64),
        options.statements ?? statements(functionId),
      );
      restore();
      Object.assign(
        process.env,
        functionEnvironment(template, functionId, deployed),
        { POWERTOOLS_TRACE_ENABLED: 'false', POWERTOOLS_LOG_LEVEL: 'SILENT' },
        options.env,
        {
          AWS_ENDPOINT_URL: moto.endpoint,
          AWS_ACCESS_KEY_ID: credentials.accessKeyId,
          AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
          AWS_REGION: MOTO_REGION,
        },
      );
      delete process.env.AWS_SESSION_TOKEN;
      delete process.env.AWS_PROFILE;
      let loaded: { value: Awaited<ReturnType<typeof load>> } | undefined;
      await jest.isolateModulesAsync(async () => {
        loaded = { value: await load() };
      });
      if (loaded === undefined) throw new Error(`loading the code of ${functionId} produced nothing`);
      return loaded.value;
    },
  };
};
