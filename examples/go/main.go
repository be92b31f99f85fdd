// The quickstart as a Go program on the SDK generated from schema.json (sdk/go) and the panorama
// provider plugin: a Panorama package, the import of its code from S3 (waited until SUCCEEDED), and
// the application deployed onto a device found by name, pinned to exactly the imported patch. The
// same stack as examples/quickstart (TypeScript), examples/yaml and examples/python.
//
// It drives itself through the Automation API with an inline program, so it needs the `pulumi` CLI
// on PATH and the plugin, but no Go language host:
//
//	go run . -manifest-bucket B -manifest-key K [-device-name emulator-device] up|preview|refresh|destroy
//
// State goes where PULUMI_BACKEND_URL says (PULUMI_CONFIG_PASSPHRASE for its secrets). Each command
// prints one JSON line on stdout: the change counts, and the stack outputs after `up`.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/pulumi-panorama/pulumi-panorama/sdk/go/panorama"
	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optdestroy"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optrefresh"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

// quickstart is the Pulumi program.
func quickstart(ctx *pulumi.Context) error {
	cfg := config.New(ctx, "")

	// ForceDelete: `pulumi destroy` removes the package together with its registered patches.
	pkg, err := panorama.NewPackage(ctx, "sample-code-package", &panorama.PackageArgs{
		PackageName: pulumi.String(orDefault(cfg.Get("packageName"), "SAMPLE_CODE")),
		ForceDelete: pulumi.Bool(true),
	})
	if err != nil {
		return err
	}

	job, err := panorama.NewPackageImportJob(ctx, "sample-code", &panorama.PackageImportJobArgs{
		InputConfig: &panorama.PackageImportJobInputConfigArgs{
			PackageVersionInputConfig: &panorama.PackageVersionInputConfigArgs{
				S3Location: &panorama.S3LocationArgs{
					BucketName: pulumi.String(cfg.Require("manifestBucket")),
					ObjectKey:  pulumi.String(cfg.Require("manifestKey")),
				},
			},
		},
		// Naming the package through its resource orders the import after it.
		OutputConfig: &panorama.PackageImportJobOutputConfigArgs{
			PackageVersionOutputConfig: &panorama.PackageVersionOutputConfigArgs{
				PackageName:    pkg.PackageName,
				PackageVersion: pulumi.String("1.0"),
				MarkLatest:     pulumi.Bool(true),
			},
		},
		WaitOptions: &panorama.WaitOptionsArgs{TimeoutSeconds: pulumi.Float64(600)},
	})
	if err != nil {
		return err
	}

	// A lookup through the plugin's invoke: the device to deploy onto, by name.
	device := panorama.GetDeviceOutput(ctx, panorama.GetDeviceOutputArgs{
		Name: pulumi.String(orDefault(cfg.Get("deviceName"), "emulator-device")),
	})

	// Pinned to exactly the patch the job imported: a new patch deploys a new application instance.
	manifest := pulumi.All(job.OwnerAccount, job.PackageName, job.PackageVersion, job.PatchVersion).
		ApplyT(func(v []interface{}) (string, error) {
			return nodeGraph(v[0].(string), v[1].(string), v[2].(string), v[3].(string))
		}).(pulumi.StringOutput)
	app, err := panorama.NewApplicationInstance(ctx, "sample-app", &panorama.ApplicationInstanceArgs{
		Name:                        pulumi.String("sample-app"),
		Description:                 pulumi.String("Quickstart application"),
		DefaultRuntimeContextDevice: device.DeviceId(),
		ManifestPayload:             manifest,
	})
	if err != nil {
		return err
	}

	ctx.Export("jobId", job.JobId)
	ctx.Export("status", job.Status)
	ctx.Export("packageId", job.PackageId)
	ctx.Export("packageVersion", job.PackageVersion)
	ctx.Export("patchVersion", job.PatchVersion)
	ctx.Export("applicationInstanceId", app.ApplicationInstanceId)
	ctx.Export("deploymentStatus", app.Status)
	ctx.Export("healthStatus", app.HealthStatus)
	ctx.Export("deployedPackages", app.Packages)
	return nil
}

// nodeGraph is graph.json for one code package, named as graph.json names it:
// <owner account>::<package name>.
func nodeGraph(ownerAccount, packageName, packageVersion, patchVersion string) (string, error) {
	codePackage := ownerAccount + "::" + packageName
	graph := map[string]any{
		"nodeGraph": map[string]any{
			"envelopeVersion": "2021-01-01",
			"packages": []any{map[string]any{
				"name": codePackage, "version": packageVersion, "patchVersion": patchVersion,
			}},
			"nodes": []any{map[string]any{"name": "code_node", "interface": codePackage + ".interface"}},
			"edges": []any{},
		},
	}
	text, err := json.Marshal(graph)
	return string(text), err
}

func orDefault(value, fallback string) string {
	if value == "" {
		return fallback
	}
	return value
}

func main() {
	stackName := flag.String("stack", "dev", "the stack")
	pluginDir := flag.String("plugin-dir", "../../bin", "the directory holding pulumi-resource-panorama")
	bucket := flag.String("manifest-bucket", "", "the S3 bucket of the package manifest")
	key := flag.String("manifest-key", "", "the S3 key of the package manifest")
	deviceName := flag.String("device-name", "emulator-device", "the device to deploy onto")
	region := flag.String("region", "", "panorama:region (default: AWS_REGION)")
	flag.Parse()
	if flag.NArg() != 1 || *bucket == "" || *key == "" {
		fail(fmt.Errorf("usage: %s -manifest-bucket B -manifest-key K [flags] up|preview|refresh|destroy", os.Args[0]))
	}
	plugins, err := filepath.Abs(*pluginDir)
	if err != nil {
		fail(err)
	}

	ctx := context.Background()
	project := workspace.Project{
		Name:    tokens.PackageName("panorama-go-quickstart"),
		Runtime: workspace.NewProjectRuntimeInfo("go", nil),
		Plugins: &workspace.Plugins{
			Providers: []workspace.PluginOptions{{Name: "panorama", Path: plugins}},
		},
	}
	stack, err := auto.UpsertStackInlineSource(ctx, *stackName, string(project.Name), quickstart,
		auto.Project(project))
	if err != nil {
		fail(err)
	}
	config := auto.ConfigMap{
		"manifestBucket": {Value: *bucket},
		"manifestKey":    {Value: *key},
		"deviceName":     {Value: *deviceName},
	}
	if *region != "" {
		config["panorama:region"] = auto.ConfigValue{Value: *region}
	}
	if err := stack.SetAllConfig(ctx, config); err != nil {
		fail(err)
	}

	progress := os.Stderr
	result := map[string]any{}
	switch command := flag.Arg(0); command {
	case "up":
		up, err := stack.Up(ctx, optup.ProgressStreams(progress))
		if err != nil {
			fail(err)
		}
		outputs := map[string]any{}
		for name, output := range up.Outputs {
			outputs[name] = output.Value
		}
		result["outputs"] = outputs
		result["changes"] = up.Summary.ResourceChanges
	case "preview":
		preview, err := stack.Preview(ctx, optpreview.ProgressStreams(progress))
		if err != nil {
			fail(err)
		}
		result["changes"] = preview.ChangeSummary
	case "refresh":
		refresh, err := stack.Refresh(ctx, optrefresh.ProgressStreams(progress))
		if err != nil {
			fail(err)
		}
		result["changes"] = refresh.Summary.ResourceChanges
	case "destroy":
		destroy, err := stack.Destroy(ctx, optdestroy.ProgressStreams(progress))
		if err != nil {
			fail(err)
		}
		result["changes"] = destroy.Summary.ResourceChanges
	default:
		fail(fmt.Errorf("unknown command %q: use up, preview, refresh or destroy", command))
	}
	line, err := json.Marshal(result)
	if err != nil {
		fail(err)
	}
	fmt.Println(string(line))
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "panorama-quickstart-go:", err)
	os.Exit(1)
}
