import type { ModulePlugin } from '../plugin';
import { ManagedDatabase } from './managed-database';
import { databaseSettings } from './settings';

export const plugin: ModulePlugin = {
  name: 'managed-database',
  add(scope, module, context) {
    new ManagedDatabase(scope, 'ManagedDatabase', {
      module,
      settings: databaseSettings(module.settings),
      network: context.network,
      namePrefix: context.namePrefix,
    });
  },
};
