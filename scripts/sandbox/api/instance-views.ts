import type { SandboxCore } from '../core';
import type { InstanceRecord } from '../state';

/** How an instance reads in Get/ListServiceInstances: structured fields travel as JSON strings [V S5]. */
export function instanceView(core: SandboxCore, instance: InstanceRecord): Record<string, unknown> {
  const version = core.state.services[instance.ServiceId]?.versions[instance.ServiceVersion];
  return {
    ServiceInstanceId: instance.ServiceInstanceId,
    Name: instance.Name,
    Status: instance.Status,
    StatusDetail: instance.StatusDetail,
    BizStatus: instance.BizStatus,
    Progress: instance.Progress,
    TemplateName: instance.TemplateName,
    PredefinedParameterName: instance.SpecificationName,
    Parameters: JSON.stringify(instance.Parameters),
    Outputs: instance.Outputs ? JSON.stringify(instance.Outputs) : undefined,
    Resources: instance.Resources ? JSON.stringify(instance.Resources) : undefined,
    Components: instance.Components ? JSON.stringify(instance.Components) : undefined,
    MarketInstanceId: instance.MarketInstanceId,
    OrderId: instance.OrderId,
    PayType: instance.PayType,
    Source: instance.Source,
    UserId: Number(instance.UserId),
    EndTime: instance.EndTime,
    CreateTime: instance.CreateTime,
    UpdateTime: instance.UpdateTime,
    Service: {
      ServiceId: instance.ServiceId,
      Version: instance.ServiceVersion,
      VersionName: version?.VersionName,
      Status: version?.Status,
      DeployType: version?.DeployType,
      ServiceType: version?.ServiceType,
      ServiceInfos: version?.ServiceInfos ?? [],
    },
  };
}
