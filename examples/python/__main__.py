"""The quickstart as a Pulumi Python program on the provider plugin: a Panorama package, the import
of its code from S3 (waited until SUCCEEDED), and the application deployed onto a device found by
name, pinned to exactly the imported patch. The same stack as examples/quickstart (TypeScript) and
examples/yaml."""
import json

import pulumi
import pulumi_panorama as panorama

config = pulumi.Config()

# force_delete: `pulumi destroy` removes the package together with its registered patches.
pkg = panorama.Package(
    "sample-code-package",
    package_name=config.get("packageName") or "SAMPLE_CODE",
    force_delete=True,
)

job = panorama.PackageImportJob(
    "sample-code",
    input_config=panorama.PackageImportJobInputConfigArgs(
        package_version_input_config=panorama.PackageVersionInputConfigArgs(
            s3_location=panorama.S3LocationArgs(
                bucket_name=config.require("manifestBucket"),
                object_key=config.require("manifestKey"),
            ),
        ),
    ),
    # Naming the package through its resource orders the import after it.
    output_config=panorama.PackageImportJobOutputConfigArgs(
        package_version_output_config=panorama.PackageVersionOutputConfigArgs(
            package_name=pkg.package_name,
            package_version="1.0",
            mark_latest=True,
        ),
    ),
    wait_options=panorama.WaitOptionsArgs(
        timeout_seconds=config.get_int("importTimeoutSeconds") or 600,
    ),
)

# A lookup through the plugin's invoke: the device to deploy onto, by name.
device = panorama.get_device_output(name=config.get("deviceName") or "emulator-device")


def node_graph(args):
    """graph.json pinning the package to the patch the job imported (<owner account>::<name>)."""
    owner_account, package_name, package_version, patch_version = args
    code_package = f"{owner_account}::{package_name}"
    return json.dumps(
        {
            "nodeGraph": {
                "envelopeVersion": "2021-01-01",
                "packages": [
                    {
                        "name": code_package,
                        "version": package_version,
                        "patchVersion": patch_version,
                    }
                ],
                "nodes": [{"name": "code_node", "interface": f"{code_package}.interface"}],
                "edges": [],
            }
        }
    )


# Pinned to exactly the patch the job imported: a new patch deploys a new application instance.
app = panorama.ApplicationInstance(
    "sample-app",
    name="sample-app",
    description="Quickstart application",
    default_runtime_context_device=device.device_id,
    manifest_payload=pulumi.Output.all(
        job.owner_account, job.package_name, job.package_version, job.patch_version
    ).apply(node_graph),
)

pulumi.export("jobId", job.job_id)
pulumi.export("status", job.status)
pulumi.export("packageId", job.package_id)
pulumi.export("packageVersion", job.package_version)
pulumi.export("patchVersion", job.patch_version)
pulumi.export("applicationInstanceId", app.application_instance_id)
pulumi.export("deploymentStatus", app.status)
pulumi.export("healthStatus", app.health_status)
pulumi.export("deployedPackages", app.packages)
