// The clients of one provider instance. Each provider instance (the default one and every explicit
// one) is a plugin process of its own, so its settings are also the process's stack settings:
// code that still makes its clients from those (rather than from the CallContext's factory) gets
// the same region, profile and endpoints.
import { applyStackConfig, AwsSettings } from "../calls/awsClients";
import { ClientFactory, clientsFor } from "../lifecycle/callContext";
import { LookupClients, lookupStep } from "../lookups/lookupCalls";
import { configKeyName } from "./providerConfig";

export function pluginClients(settings: AwsSettings): ClientFactory {
  applyStackConfig({
    get: (key) =>
      key === "aws:region"
        ? settings.region
        : key === "aws:profile"
          ? settings.profile
          : key === "aws:endpoints"
            ? JSON.stringify([settings.endpoints])
            : undefined,
  });
  const clients = clientsFor(() => settings);
  return {
    ...clients,
    region: (requested) => {
      if (requested || settings.region || process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION)
        return clients.region(requested);
      throw new Error(
        `No AWS region: set the resource's \`region\` input, the provider's \`region\` ` +
          `(pulumi config set ${configKeyName("region")} us-east-1) or the AWS_REGION environment variable.`,
      );
    },
  };
}

/** The factory as the lookups take it (a bad region is named by the lookup). */
export function lookupClients(clients: ClientFactory): LookupClients {
  return (lookup, requested) => {
    const region = lookupStep(lookup, () => clients.region(requested));
    return { client: clients.panorama(region), region };
  };
}
