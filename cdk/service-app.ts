import type { ServiceModel } from '../service-config/model';
import { buildTemplate } from './build-template';
import { checkPlansAgainstTemplate } from './plans';
import type { RosTemplate } from './ros/template';
import { buildServiceDefinition, templateFileName, type ServiceDefinition } from './service-definition';

export interface SynthesizedService {
  /** One template family (the service's template), by its TemplateName. */
  templates: { name: string; file: string; template: RosTemplate }[];
  serviceDefinition: ServiceDefinition;
}

/** The whole synthesis as one pure function of the service description: same input, same output. */
export function synthesizeService(model: ServiceModel): SynthesizedService {
  const template = buildTemplate(model);
  checkPlansAgainstTemplate(model, template);
  return {
    templates: [{ name: model.service.template.name, file: templateFileName(model), template }],
    serviceDefinition: buildServiceDefinition(model, template),
  };
}
