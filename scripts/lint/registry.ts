/** Every rule, in the order they are documented; `--rule` / `--ignore` select among them by id. */
import { EXIT, UserError } from '../errors';
import type { Rule, RuleMeta } from './model';
import { artifactPlaceholder } from './rules/artifact-placeholder';
import { artifactRelation } from './rules/artifact-relation';
import { associationProperty } from './rules/association-property';
import { circularDependency } from './rules/circular-dependency';
import { commodityMapping } from './rules/commodity-mapping';
import { configPlaceholder } from './rules/config-placeholder';
import { editionPlan } from './rules/edition-plan';
import { emptyDocument } from './rules/empty-document';
import { entryName } from './rules/entry-name';
import { formatVersion } from './rules/format-version';
import { managedSupplierTemplates } from './rules/managed-supplier-templates';
import { missingResourceProperty } from './rules/missing-resource-property';
import { moduleComponent } from './rules/module-component';
import { outputConfig } from './rules/output-config';
import { parameterDefault } from './rules/parameter-default';
import { parameterList } from './rules/parameter-list';
import { parameterLocalized } from './rules/parameter-localized';
import { parameterType } from './rules/parameter-type';
import { parseError } from './rules/parse-error';
import { passwordNoEcho } from './rules/password-no-echo';
import { planParameter } from './rules/plan-parameter';
import { planValue } from './rules/plan-value';
import { resourcePropertyType } from './rules/resource-property-type';
import { resourceTypeMissing } from './rules/resource-type-missing';
import { serviceConfig } from './rules/service-config';
import { serviceTestCase } from './rules/service-test-case';
import { templateName } from './rules/template-name';
import { templateUrl } from './rules/template-url';
import { unknownOutputKey } from './rules/unknown-output-key';
import { unknownParameterKey } from './rules/unknown-parameter-key';
import { unknownResourceKey } from './rules/unknown-resource-key';
import { unknownResourceProperty } from './rules/unknown-resource-property';
import { unknownSection } from './rules/unknown-section';
import { unreferencedTemplate } from './rules/unreferenced-template';
import { unresolvedCondition } from './rules/unresolved-condition';
import { unresolvedDependsOn } from './rules/unresolved-depends-on';
import { unresolvedGetAtt } from './rules/unresolved-getatt';
import { unresolvedRef } from './rules/unresolved-ref';
import { unresolvedSubVariable } from './rules/unresolved-sub-variable';
import { unusedArtifact } from './rules/unused-artifact';
import { unusedParameter } from './rules/unused-parameter';
import { yamlIndentation } from './rules/yaml-indentation';
import { didYouMean } from '../../service-config/suggest';
import { suppressionRule } from './suppress';

export const RULES: readonly Rule[] = [
  // Files
  parseError,
  emptyDocument,
  yamlIndentation,
  // Template structure
  formatVersion,
  unknownSection,
  entryName,
  unknownParameterKey,
  unknownResourceKey,
  unknownOutputKey,
  resourceTypeMissing,
  // Resource properties
  unknownResourceProperty,
  missingResourceProperty,
  resourcePropertyType,
  // References
  unresolvedRef,
  unresolvedGetAtt,
  unresolvedSubVariable,
  unresolvedCondition,
  unresolvedDependsOn,
  circularDependency,
  unusedParameter,
  // Parameters
  parameterType,
  parameterDefault,
  parameterLocalized,
  associationProperty,
  passwordNoEcho,
  // Service definition
  managedSupplierTemplates,
  templateUrl,
  templateName,
  planParameter,
  planValue,
  parameterList,
  outputConfig,
  artifactRelation,
  artifactPlaceholder,
  unusedArtifact,
  configPlaceholder,
  unreferencedTemplate,
  commodityMapping,
  // This repository
  serviceConfig,
  editionPlan,
  moduleComponent,
  serviceTestCase,
];

/** Every rule's description, the suppression checks included: what `--list-rules` and SARIF show. */
export const RULE_METAS: readonly RuleMeta[] = [...RULES, suppressionRule];

/** The rules `only` keeps (all when empty) minus `ignore`; an unknown id is a usage error. */
export function selectRules(only: string[] = [], ignore: string[] = []): Rule[] {
  const ids = RULES.map((r) => r.id);
  for (const id of [...only, ...ignore]) {
    if (!ids.includes(id)) {
      throw new UserError(
        'LintUnknownRule',
        `unknown rule "${id}"${didYouMean(id, ids)}; see \`nestkit lint --list-rules\``,
        undefined,
        EXIT.usage,
      );
    }
  }
  return RULES.filter((r) => (only.length === 0 || only.includes(r.id)) && !ignore.includes(r.id));
}
