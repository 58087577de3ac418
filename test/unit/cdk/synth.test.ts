import { buildTemplate, checkResourceCount } from '../../../cdk/build-template';
import { includedModuleOverlaps } from '../../../cdk/included-modules';
import { previewOrder } from '../../../cdk/order-preview';
import { checkPlansAgainstTemplate, planParameters } from '../../../cdk/plans';
import { parameterValueViolations } from '../../../cdk/ros/parameter-constraints';
import { synthesizeService } from '../../../cdk/service-app';
import { SynthError } from '../../../cdk/synth-error';
import { moduleCombinations } from '../../../scripts/synth/readme';
import { renderFiles } from '../../../scripts/synth/render-files';
import type { ServiceModel } from '../../../service-config/model';
import { sampleModel } from '../../support/model';
import { structuralProblems } from '../../support/structural-check';

function synthError(work: () => unknown): SynthError {
  try {
    work();
  } catch (error) {
    if (error instanceof SynthError) return error;
    throw error;
  }
  throw new Error('expected synth to refuse');
}

describe('synthesized template', () => {
  const model = sampleModel();
  const { templates, serviceDefinition } = synthesizeService(model);
  const template = templates[0].template;

  it('passes the structural check as a whole', () => {
    expect(structuralProblems(template)).toEqual([]);
  });

  const orders = model.editions.flatMap((e) =>
    moduleCombinations(model).map((modules) => [e.name, modules] as const),
  );
  it.each(orders)(
    'edition %s with modules %j synthesizes a structurally sound template',
    (edition, modules) => {
      const order = previewOrder(model, template, edition, [...modules]);
      expect(structuralProblems(order.template as unknown as Record<string, unknown>)).toEqual([]);
      const resources = Object.keys(order.template.Resources ?? {});
      const included = new Set([
        ...model.editions.find((e) => e.name === edition)!.includedModules,
        ...modules,
      ]);
      expect(resources.includes('BackupJob')).toBe(included.has('backup'));
      expect(resources.includes('BackupPolicy')).toBe(included.has('backup'));
      // Retained in every order: switching backup off never deletes the backups at once.
      expect(resources).toEqual(expect.arrayContaining(['BackupBucket', 'NodeRole']));
      expect(resources.includes('PublicLoadBalancer')).toBe(included.has('public-endpoint'));
      expect(resources).toEqual(expect.arrayContaining(['Nodes', 'WaitCondition', 'SecurityGroup']));
    },
  );

  it('keeps the Compute Nest conventions: billing, zone, instance type and a secret password', () => {
    const p = template.Parameters!;
    expect(p.PayType.AssociationProperty).toBe('ChargeType');
    expect(p.ZoneId.AssociationProperty).toBe('ALIYUN::ECS::Instance::ZoneId');
    expect(p.EcsInstanceType.AssociationProperty).toBe('ALIYUN::ECS::Instance::InstanceType');
    expect(p.AdminPassword.NoEcho).toBe(true);
    for (const [name, declaration] of Object.entries(p))
      expect([name, Object.keys(declaration.Label as object)]).toEqual([name, ['en', 'zh-cn']]);
    const groups = (
      template.Metadata!['ALIYUN::ROS::Interface'] as { ParameterGroups: { Parameters: string[] }[] }
    ).ParameterGroups;
    expect(groups.flatMap((g) => g.Parameters).sort()).toEqual(Object.keys(p).sort());
  });

  it('gives the buyer an application admin credential, never the OS login of the nodes', () => {
    const nodes = template.Resources!.Nodes.Properties!;
    expect(nodes).not.toHaveProperty('Password');
    expect(nodes.KeyPairName).toEqual({
      'Fn::If': ['HasKeyPair', { Ref: 'KeyPairName' }, { Ref: 'ALIYUN::NoValue' }],
    });
    expect(template.Parameters!.AdminPassword.Label).toEqual({
      en: 'Application admin password',
      'zh-cn': '应用管理员密码',
    });
    expect(template.Parameters!.AdminPassword).not.toHaveProperty('AssociationProperty');
    const outputs = JSON.stringify(template.Outputs);
    expect(outputs).not.toMatch(/Password|KeyPair/);
    const supplierConfig = supplier.SupplierTemplateConfigs[0];
    expect(supplierConfig.HiddenParameterKeys).toContain('KeyPairName');
    expect(supplierConfig.HiddenParameterKeys).not.toContain('AdminPassword');
  });

  it('opens the nodes to the source CIDR parameter only, never to 0.0.0.0/0 by default', () => {
    const ingress = template.Resources!.SecurityGroup.Properties!.SecurityGroupIngress as {
      SourceCidrIp: unknown;
    }[];
    expect(ingress.map((r) => r.SourceCidrIp)).toEqual([{ Ref: 'AccessSourceCidr' }, '100.64.0.0/10']);
    expect(template.Parameters!.AccessSourceCidr.Default).not.toBe('0.0.0.0/0');
    expect(supplier.SupplierTemplateConfigs[0].HiddenParameterKeys).not.toContain('AccessSourceCidr');
  });

  it('serves the public endpoint over TLS with the ISV certificate of each region', () => {
    const listener = template.Resources!.PublicListener.Properties!;
    expect(listener).toMatchObject({
      Protocol: 'https',
      ListenerPort: 443,
      ServerCertificateId: { Ref: 'PublicEndpointCertificateId' },
    });
    const config = supplier.SupplierTemplateConfigs[0] as unknown as {
      ParameterMappings: {
        ParameterKey: string;
        ParameterValueMapping: Record<string, { Parameters: object }>;
      }[];
    };
    expect(config.ParameterMappings[0].ParameterKey).toBe('RegionId');
    for (const region of model.service.allowedRegions)
      expect(config.ParameterMappings[0].ParameterValueMapping[region].Parameters).toHaveProperty(
        'PublicEndpointCertificateId',
      );
    expect(JSON.stringify(template.Outputs!.FrontendUrl)).toContain('https://');
  });

  it('hands the buyer public URLs only: no private address of the ISV network', () => {
    expect(JSON.stringify(template.Outputs)).not.toContain('PrivateIps');
  });

  it('hides every parameter that names an ISV-account resource or its billing', () => {
    const hidden = supplier.SupplierTemplateConfigs[0].HiddenParameterKeys;
    for (const name of [
      'PayType',
      'PayPeriodUnit',
      'PayPeriod',
      'VpcOption',
      'VpcId',
      'VSwitchId',
      'KeyPairName',
    ])
      expect(hidden).toContain(name);
  });

  it('applies an edition change to the existing nodes', () => {
    expect(template.Resources!.Nodes.Properties!.UpdatePolicy).toBe('ForAllInstances');
  });

  it('backs up with a least-privilege role, on a schedule, and keeps the backups when switched off', () => {
    const r = template.Resources!;
    expect(r.BackupBucket.DeletionPolicy).toBe('Retain');
    expect(r.BackupBucket.Properties).not.toHaveProperty('DeletionForce');
    expect(r.BackupBucket).not.toHaveProperty('Condition');
    expect(r.Nodes.Properties!.RamRoleName).toEqual({ 'Fn::GetAtt': ['NodeRole', 'RoleName'] });
    const statements = (
      r.BackupPolicy.Properties!.PolicyDocument as { Statement: { Action: string[]; Resource: unknown[] }[] }
    ).Statement;
    expect(statements.flatMap((st) => st.Action).sort()).toEqual([
      'oss:GetBucketInfo',
      'oss:GetObject',
      'oss:ListObjects',
      'oss:PutObject',
    ]);
    expect(JSON.stringify(statements)).not.toContain('"*"');
    expect(r.BackupPolicy.Condition).toBe('BackupEnabled');
    expect(r.BackupJob).toMatchObject({
      Type: 'ALIYUN::ECS::RunCommand',
      Condition: 'BackupEnabled',
      Properties: { RepeatMode: 'Period', Frequency: '0 0 18 * * ?' },
    });
    const [script] = (r.BackupJob.Properties!.CommandContent as { 'Fn::Sub': [string, object] })['Fn::Sub'];
    expect(script).toContain('tar -czf "$archive" -C /data .');
    expect(script).toContain('--mode EcsRamRole');
  });

  it('runs each edition on one larger node, since the state lives on its data disk [I]', () => {
    expect(model.editions.map((e) => e.nodeCount)).toEqual([1, 1, 1]);
  });

  it('declares which earlier releases upgrade in place', () => {
    expect(serviceDefinition.Service.UpgradeMetadata).toMatchObject({
      SupportUpgradeFromVersions: model.service.upgradeFrom,
      UpgradeComponents: ['Configuration', 'Resource'],
    });
    expect(model.service.upgradeFrom).toEqual(['1.3.0']);
  });

  it('lets customer-side operations change the edition as a plan only: no size, no paid module', () => {
    const operations = (
      serviceDefinition.Service.OperationMetadata.ModifyParametersConfig as {
        Operation: { Parameters: string[]; SupportPredefinedParameters?: boolean }[];
      }[]
    ).flatMap((c) => c.Operation);
    for (const op of operations) {
      expect(op.Parameters).toEqual([]);
      expect(op.SupportPredefinedParameters).toBe(true);
    }
  });

  it('builds the sample application into an Alibaba Cloud Linux 3 image from registries mainland regions reach', () => {
    const app = model.service.application;
    const image = model.artifacts.find((a) => a.name === app.imageId);
    if (image?.type !== 'ecs-image' || !image.build)
      throw new Error('the sample boots from a built ecs-image artifact');
    expect(image.build.baseImage).toMatch(/^aliyun_3_/);
    expect(image.build.commands).not.toMatch(/dnf install -y docker\b/);
    expect(image.build.commands).toContain('mirrors.aliyun.com/docker-ce');
    expect(image.build.commands).toMatch(/docker pull registry\.cn-[a-z]+\.aliyuncs\.com\//);
    expect(app.installCommand).toBe('');
    expect(app.startCommand).toMatch(/registry\.cn-[a-z]+\.aliyuncs\.com\//);
  });

  it('warns that a module included in an edition must not be sold again on it', () => {
    expect(includedModuleOverlaps(model).map((o) => [o.edition, o.module])).toEqual([
      ['advanced', 'backup'],
      ['premium', 'backup'],
      ['premium', 'public-endpoint'],
    ]);
    const readme = renderFiles(model, synthesizeService(model)).get('README.md')!;
    expect(readme).toContain('not sold (backup included)');
  });

  it('offers a shared ISV network: the region VPC mapped per region, a security group per order', () => {
    const shared = sampleModel();
    shared.service.managed!.network = 'shared';
    shared.service.managed!.sharedNetworks = Object.fromEntries(
      shared.service.allowedRegions.map((r, i) => [
        r,
        { vpcId: `vpc-${i}a`, vSwitchId: `vsw-${i}a`, zoneId: `${r}-k` },
      ]),
    );
    const out = synthesizeService(shared);
    const config = (
      out.serviceDefinition.Service.DeployMetadata.SupplierDeployMetadata as {
        SupplierTemplateConfigs: {
          HiddenParameterKeys: string[];
          PredefinedParameters: { Parameters: Record<string, unknown> }[];
          ParameterMappings: {
            ParameterMappingKeys: string[];
            ParameterValueMapping: Record<string, { Parameters: Record<string, string> }>;
          }[];
        }[];
      }
    ).SupplierTemplateConfigs[0];
    expect(config.PredefinedParameters.every((p) => p.Parameters.VpcOption === 'ExistingVPC')).toBe(true);
    expect(config.HiddenParameterKeys).toEqual(expect.arrayContaining(['ZoneId', 'VpcId', 'VSwitchId']));
    expect(config.ParameterMappings[0].ParameterMappingKeys).toEqual([
      'VpcId',
      'VSwitchId',
      'ZoneId',
      'PublicEndpointCertificateId',
    ]);
    expect(config.ParameterMappings[0].ParameterValueMapping['cn-shanghai'].Parameters).toMatchObject({
      VpcId: 'vpc-1a',
      VSwitchId: 'vsw-1a',
      ZoneId: 'cn-shanghai-k',
    });
    const order = previewOrder(shared, out.templates[0].template, 'basic', []);
    expect(order.conditions.CreateVpc).toBe(false);
    expect(Object.keys(order.template.Resources!)).not.toContain('Vpc');
    expect(Object.keys(order.template.Resources!)).toContain('SecurityGroup');
  });

  it('fixes subscription billing of the ISV resources in every plan, renewed and released with the order', () => {
    const prepaid = sampleModel();
    prepaid.service.managed!.billing = { payType: 'PrePaid', periodUnit: 'Year', period: 1 };
    const out = synthesizeService(prepaid);
    const plans = (
      out.serviceDefinition.Service.DeployMetadata.SupplierDeployMetadata as {
        SupplierTemplateConfigs: { PredefinedParameters: { Parameters: Record<string, unknown> }[] }[];
      }
    ).SupplierTemplateConfigs[0].PredefinedParameters;
    for (const plan of plans)
      expect(plan.Parameters).toMatchObject({ PayType: 'PrePaid', PayPeriodUnit: 'Year', PayPeriod: 1 });
    expect(out.templates[0].template.Resources!.Nodes.Properties).toMatchObject({
      AutoRenew: 'True',
      SubscriptionDeletionForce: true,
    });
  });

  it('sells modules to Compute Nest-deployed orders as one plan per purchasable combination', () => {
    const bundled = sampleModel();
    bundled.editions[0].bundles = [
      { modules: ['backup'], specificationCode: 'yuncode5012300011' },
      { modules: ['backup', 'public-endpoint'], specificationCode: 'yuncode5012300013' },
    ];
    bundled.editions[1].bundles = [{ modules: ['public-endpoint'], specificationCode: 'yuncode5012300021' }];
    const out = synthesizeService(bundled);
    const plans = (out.serviceDefinition.Service.DeployMetadata.SupplierDeployMetadata as typeof supplier)
      .SupplierTemplateConfigs[0].PredefinedParameters;
    const mapped = out.serviceDefinition.Commodity.SpecificationMappings;
    const readme = renderFiles(bundled, out).get('README.md')!;
    expect(readme).toContain('(SKU yuncode5012300021)');
    for (const edition of bundled.editions)
      for (const bundle of edition.bundles) {
        const name = [edition.name, ...bundle.modules].join('+');
        expect(mapped).toContainEqual({
          SpecificationCode: bundle.specificationCode,
          TemplateName: 'Standard',
          SpecificationName: name,
        });
        const plan = plans.find((p) => p.Name === name)!;
        for (const kind of bundle.modules) {
          const parameter = bundled.modules.find((m) => m.name === kind)!.parameter;
          expect([name, parameter, plan.Parameters[parameter]]).toEqual([name, parameter, true]);
        }
      }
    expect(plans.map((p) => p.Name)).toContain('basic+backup+public-endpoint');
    // Every mapped plan exists; no module is sold again on an edition that includes it.
    for (const m of mapped) expect(plans.map((p) => p.Name)).toContain(m.SpecificationName);
    expect(plans.map((p) => p.Name)).not.toContain('advanced+backup');
  });

  it('writes sections in canonical order', () => {
    expect(Object.keys(template)).toEqual([
      'ROSTemplateFormatVersion',
      'Metadata',
      'Parameters',
      'Conditions',
      'Resources',
      'Outputs',
    ]);
  });

  it('waits for every node before the stack completes', () => {
    const wait = template.Resources!.WaitCondition;
    expect(wait.DependsOn).toEqual(['Nodes']);
    expect(wait.Properties!.Count).toEqual({ Ref: 'NodeCount' });
  });

  const supplier = serviceDefinition.Service.DeployMetadata.SupplierDeployMetadata as {
    RoleName: string;
    UserType: string;
    SupplierTemplateConfigs: {
      Name: string;
      Url: string;
      AllowedRegions: string[];
      PredefinedParameters: { Name: string; Parameters: Record<string, unknown> }[];
      HiddenParameterKeys: string[];
      OutputConfigs: { OutputKey: string }[];
    }[];
  };

  it('lays a managed service out as Compute Nest deploys it in the ISV account', () => {
    expect(serviceDefinition.Service.ServiceType).toBe('managed');
    expect(serviceDefinition.Service.TenantType).toBe('SingleTenant');
    expect(supplier.RoleName).toBe(model.service.managed!.roleName);
    expect(supplier.UserType).toBe('Aliyun');
    expect(supplier.SupplierTemplateConfigs).toHaveLength(1);
    expect(supplier.SupplierTemplateConfigs[0]).toMatchObject({
      Name: 'Standard',
      Url: 'standard.template.json',
      AllowedRegions: model.service.allowedRegions,
    });
    // The buyer-facing TemplateConfigs carry the name only.
    expect(serviceDefinition.Service.DeployMetadata.TemplateConfigs).toEqual([{ Name: 'Standard' }]);
  });

  it('takes the role name from service.yaml', () => {
    const changed = sampleModel();
    changed.service.managed!.roleName = 'AcmeDeployRole';
    const definition = synthesizeService(changed).serviceDefinition;
    expect((definition.Service.DeployMetadata.SupplierDeployMetadata as { RoleName: string }).RoleName).toBe(
      'AcmeDeployRole',
    );
  });

  it('keeps the private layout for a private service', () => {
    const changed = sampleModel();
    changed.service.type = 'private';
    delete changed.service.managed;
    const definition = synthesizeService(changed).serviceDefinition;
    const configs = definition.Service.DeployMetadata.TemplateConfigs as { Url: string }[];
    expect(configs[0].Url).toBe('standard.template.json');
    expect(definition.Service.DeployMetadata.SupplierDeployMetadata).toEqual({
      DeployTimeout: 7200,
      ArtifactRelation: {
        'insight-image': {
          ArtifactId: '${Artifact.insight-image.ArtifactId}',
          ArtifactVersion: '${Artifact.insight-image.ArtifactVersion}',
        },
      },
    });
    expect(definition.Service).not.toHaveProperty('TenantType');
  });

  it('has one plan per edition with the edition values', () => {
    const config = supplier.SupplierTemplateConfigs[0];
    expect(config.PredefinedParameters.map((p) => p.Name)).toEqual(model.editions.map((e) => e.name));
    const premium = config.PredefinedParameters.find((p) => p.Name === 'premium')!;
    expect(premium.Parameters).toEqual({
      EcsInstanceType: 'ecs.c7.4xlarge',
      NodeCount: 1,
      SystemDiskSize: 100,
      DataDiskSize: 2000,
      InternetMaxBandwidthOut: 50,
      PayType: 'PostPaid',
      PayPeriodUnit: 'Month',
      PayPeriod: 1,
      VpcOption: 'NewVPC',
      EnableBackup: true,
      EnablePublicEndpoint: true,
    });
  });

  it('plan values satisfy the template constraints', () => {
    for (const edition of model.editions) {
      for (const [name, value] of Object.entries(planParameters(model, edition))) {
        expect([name, parameterValueViolations(template.Parameters![name], value)]).toEqual([name, []]);
      }
    }
  });

  it('maps every SKU to the template and its plan, and sends no ComponentsMappings (not public)', () => {
    expect(
      serviceDefinition.Commodity.SpecificationMappings.filter((m) => !m.SpecificationName.includes('+')),
    ).toEqual(
      model.editions.map((e) => ({
        SpecificationCode: e.specificationCode,
        TemplateName: 'Standard',
        SpecificationName: e.name,
      })),
    );
    expect(Object.keys(serviceDefinition.Commodity)).toEqual(['SpecificationMappings']);
  });

  it('output configs name existing outputs only', () => {
    const config = supplier.SupplierTemplateConfigs[0];
    for (const { OutputKey } of config.OutputConfigs) expect(template.Outputs).toHaveProperty(OutputKey);
  });

  it('is deterministic: two syntheses give byte-identical files', () => {
    const again = renderFiles(model, synthesizeService(sampleModel()));
    expect(again).toEqual(renderFiles(model, synthesizeService(model)));
    for (const content of again.values()) expect(content).not.toMatch(/\/work\/|\d{4}-\d\d-\d\dT\d\d:/);
  });

  it('writes YAML whose format version stays a quoted string', () => {
    const yaml = renderFiles(model, synthesizeService(model)).get('standard.template.yaml')!;
    expect(yaml).toMatch(/^ROSTemplateFormatVersion: "2015-09-01"$/m);
  });
});

describe('synth refuses', () => {
  const withEdition = (change: Partial<ServiceModel['editions'][number]>, index = 0): ServiceModel => {
    const model = sampleModel();
    model.editions[index] = { ...model.editions[index], ...change };
    return model;
  };

  it('a plan whose node count breaks the template MaxValue', () => {
    const error = synthError(() => synthesizeService(withEdition({ nodeCount: 20 }, 2)));
    expect(error.code).toBe('PlanViolatesTemplate');
    expect(error.field).toEqual(['editions', 2, 'nodeCount']);
    expect(error.message).toMatch(/premium.*NodeCount = 20.*above the MaxValue 10/);
  });

  it('a plan whose disk is below the template MinValue', () => {
    const error = synthError(() => synthesizeService(withEdition({ systemDiskSize: 10 })));
    expect(error.field).toEqual(['editions', 0, 'systemDiskSize']);
  });

  it('a plan whose instance type breaks the AllowedPattern', () => {
    const error = synthError(() => synthesizeService(withEdition({ instanceType: 'ecs.C7.large' })));
    expect(error.message).toMatch(/AllowedPattern/);
  });

  it('a module parameter the template does not have', () => {
    const model = sampleModel();
    const template = buildTemplate(model);
    delete template.Parameters!.EnableBackup;
    const error = synthError(() => checkPlansAgainstTemplate(model, template));
    expect(error).toMatchObject({ code: 'UnknownModuleParameter', field: ['modules', 0, 'parameter'] });
  });

  it('more than 300 resources', () => {
    const resources = Object.fromEntries(
      Array.from({ length: 301 }, (_, i) => [`R${i}`, { Type: 'ALIYUN::ROS::Sleep' }]),
    );
    const error = synthError(() =>
      checkResourceCount({ ROSTemplateFormatVersion: '2015-09-01', Resources: resources }),
    );
    expect(error.message).toBe('the template has 301 resources; ROS allows at most 300');
    expect(() => checkResourceCount({ ROSTemplateFormatVersion: '2015-09-01', Resources: {} })).not.toThrow();
  });

  it('an invalid stack name', () => {
    const model = sampleModel();
    model.service.template = { ...model.service.template, name: 'my_stack' };
    const error = synthError(() => synthesizeService(model));
    expect(error).toMatchObject({ code: 'InvalidStackName', field: ['service', 'template', 'name'] });
  });

  it('a preview of an unknown edition or module', () => {
    const model = sampleModel();
    const template = buildTemplate(model);
    expect(synthError(() => previewOrder(model, template, 'gold', [])).code).toBe('UnknownEdition');
    expect(synthError(() => previewOrder(model, template, 'basic', ['cdn'])).code).toBe('UnknownModule');
  });
});

describe('order preview', () => {
  const model = sampleModel();
  const template = buildTemplate(model);

  it('merges defaults, the plan and bought modules, and leaves secrets to the buyer', () => {
    const order = previewOrder(model, template, 'basic', ['public-endpoint']);
    expect(order.parameters.NodeCount).toEqual({ value: 1, source: 'plan' });
    expect(order.parameters.EnablePublicEndpoint).toEqual({ value: true, source: 'module' });
    expect(order.parameters.EnableBackup).toEqual({ value: false, source: 'default' });
    expect(order.parameters.AdminPassword).toEqual({ value: null, source: 'buyer' });
    expect(order.conditions).toMatchObject({
      BackupEnabled: false,
      PublicEndpointEnabled: true,
      CreateVpc: true,
    });
    expect(order.template.Outputs).not.toHaveProperty('BackupBucketName');
    expect(JSON.stringify(order.template.Outputs)).not.toContain('Fn::If');
  });
});
