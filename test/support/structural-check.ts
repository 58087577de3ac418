/**
 * An independent structural check of a ROS template, written apart from the linter on purpose: every
 * Ref, Fn::GetAtt resource, Fn::Sub variable, Condition name and DependsOn target must exist.
 */
export function structuralProblems(template: Record<string, unknown>): string[] {
  const parameters = Object.keys((template.Parameters as object) ?? {});
  const resources = (template.Resources as Record<string, Record<string, unknown>>) ?? {};
  const conditions = Object.keys((template.Conditions as object) ?? {});
  const outputs = (template.Outputs as Record<string, Record<string, unknown>>) ?? {};
  const names = new Set([...parameters, ...Object.keys(resources)]);
  const problems: string[] = [];
  const isPseudo = (name: string) => name.startsWith('ALIYUN::');

  const walk = (value: unknown, where: string): void => {
    if (Array.isArray(value)) return value.forEach((v, i) => walk(v, `${where}[${i}]`));
    if (!value || typeof value !== 'object') return;
    for (const [key, inner] of Object.entries(value)) {
      if (key === 'Ref' && typeof inner === 'string' && !names.has(inner) && !isPseudo(inner)) {
        problems.push(`${where}: Ref ${inner} does not exist`);
      }
      if (key === 'Fn::GetAtt' && !(Array.isArray(inner) && inner[0] in resources)) {
        problems.push(`${where}: Fn::GetAtt ${JSON.stringify(inner)} names no resource`);
      }
      if (key === 'Fn::If' && !(Array.isArray(inner) && conditions.includes(inner[0]))) {
        problems.push(`${where}: Fn::If names no condition`);
      }
      if (key === 'Condition' && typeof inner === 'string' && !conditions.includes(inner)) {
        problems.push(`${where}: Condition ${inner} does not exist`);
      }
      if (key === 'Fn::Sub') {
        const text = Array.isArray(inner) ? inner[0] : inner;
        const locals = Array.isArray(inner) ? Object.keys(inner[1] ?? {}) : [];
        for (const m of String(text).matchAll(/\$\{([^!}][^}]*)\}/g)) {
          const name = m[1].split('.')[0];
          if (!names.has(name) && !isPseudo(m[1]) && !locals.includes(name))
            problems.push(`${where}: Fn::Sub variable ${m[1]} does not exist`);
        }
      }
      walk(inner, `${where}.${key}`);
    }
  };

  for (const [name, resource] of Object.entries(resources)) {
    walk(resource, `Resources.${name}`);
    for (const target of ([] as unknown[]).concat(resource.DependsOn ?? [])) {
      if (!(String(target) in resources))
        problems.push(`Resources.${name}: DependsOn ${String(target)} does not exist`);
    }
  }
  walk(template.Conditions, 'Conditions');
  walk(outputs, 'Outputs');
  return problems;
}
