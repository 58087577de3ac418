import type * as ros from '@alicloud/ros-cdk-core';
import type { PluginModule } from '../../../service-config/model';
import type { Compute } from '../compute';
import type { Network } from '../network';

/** What a module's construct may build on: the order's network and nodes. */
export interface ModuleContext {
  readonly network: Network;
  readonly compute: Compute;
  /** Prefix of every name the module gives a resource (`service.instanceNamePrefix`). */
  readonly namePrefix: string;
}

/**
 * A module in a folder of its own (`cdk/constructs/modules/<name>/`): `index.ts` exports `plugin`, beside
 * `schema.json` (the settings `service.yaml` may give it) and `README.md`. `generate.ts` finds the folders
 * and writes the schema's module list and `registry.generated.ts`; the stack adds every declared module
 * whose plugin is there. The built-in modules `backup` and `public-endpoint` change the nodes and the
 * outputs, so the stack wires them itself; a plugin only adds resources beside the nodes.
 */
export interface ModulePlugin {
  /** The folder's name, and `modules[].name` in `service.yaml`. */
  readonly name: string;
  /**
   * Adds the module's resources to the stack, each under the module's switch (`moduleSwitch`), and any
   * outputs it gives the buyer. `module.settings` passed the module's schema fragment.
   */
  add(scope: ros.Construct, module: PluginModule, context: ModuleContext): void;
  /** Template parameters the module declares besides its switch, for the deployment form. @default [] */
  readonly parameterNames?: readonly string[];
}
