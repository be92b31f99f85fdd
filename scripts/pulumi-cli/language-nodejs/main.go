// Command pulumi-language-nodejs is a small stand-in for Pulumi's Node.js language host, built
// together with the CLI from scripts/pulumi-cli.
//
// Why it exists: the real host is its own Go module,
// github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3, and the Go module proxy our
// machines can reach refuses it ("403 This module version is not available" for the v3.248.0
// release pseudo-version v3.0.0-20260624120734-a88168d865b7, for @latest and for @master), while
// the official installer is unreachable. Without a host the CLI can run Automation API inline
// programs (runtime "client") but not a project directory with `runtime: nodejs`.
//
// What it does, as the upstream host does at v3.248: serves the LanguageRuntime gRPC service,
// prints its port, watches the engine's health, reports the resource plugins found in
// node_modules, and runs a program by spawning
//
//	node [nodeargs] <@pulumi/pulumi/cmd/run> --monitor … --engine … --organization … --project …
//	     --root-directory … --stack … --pwd <program dir> [--dry-run] --parallel N [--tracing …]
//	     <entry point> [args…]
//
// with PULUMI_CONFIG / PULUMI_CONFIG_SECRET_KEYS and the TypeScript switches
// (PULUMI_NODEJS_TYPESCRIPT, PULUMI_NODEJS_TSCONFIG_PATH) in its environment. `cmd/run` resolves
// from the program directory, so the program's own @pulumi/pulumi runs it, and exit code 32
// ("already told the user") bails quietly.
//
// What it leaves out, deliberately: the resource-monitor proxy and its --sync pipes (only the
// deprecated synchronous invokes need them; the program talks to the engine's monitor directly),
// debugger attach, the bun runtime, RunPlugin (policy packs, Node.js component providers), code
// generation, and InstallDependencies / GetProgramDependencies, which would need the network or a
// package manager: run `npm install` yourself.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/google/shlex"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/emptypb"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/config"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/cmdutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/logging"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/version"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

const (
	// Resolved from the program directory; PULUMI_LANGUAGE_NODEJS_RUN_PATH overrides it, as upstream.
	defaultRunPath = "@pulumi/pulumi/cmd/run"

	// `cmd/run` exits with this code after printing an error the user can act on.
	exitedAfterUserActionableMessage = 32
)

func main() {
	tracing := flag.String("tracing", "", "Emit tracing to a Zipkin-compatible tracing endpoint")
	showVersion := flag.Bool("version", false, "Print the current plugin version and exit")
	// The engine passes these when run with -v / --logflow and logging.InitLogging reads them; glog,
	// linked in through the SDK, usually defines them already.
	if flag.Lookup("logtostderr") == nil {
		flag.Bool("logtostderr", false, "Log to stderr")
	}
	if flag.Lookup("v") == nil {
		flag.Int("v", 0, "Log verbosity")
	}
	flag.Parse()

	if *showVersion {
		fmt.Println(version.Version)
		return
	}
	logging.InitLogging(false, 0, false)
	cmdutil.InitTracing("pulumi-language-nodejs", "pulumi-language-nodejs", *tracing)

	// The engine's address is the last positional argument.
	var engineAddress string
	if args := flag.Args(); len(args) > 0 {
		engineAddress = args[len(args)-1]
	}

	host := &nodeLanguageHost{tracing: *tracing}
	// Stop serving on SIGINT or when the engine stops answering its health check.
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt)
	stop := make(chan bool)
	go func() {
		<-ctx.Done()
		close(stop)
	}()
	if engineAddress != "" {
		host.engineAddress = engineAddress
		// Polled every 5 minutes, as upstream, so a killed `pulumi` leaves us running that long.
		if err := rpcutil.Healthcheck(ctx, engineAddress, 5*time.Minute, cancel); err != nil {
			cmdutil.Exit(fmt.Errorf("could not start health check host RPC server: %w", err))
		}
	}

	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Cancel: stop,
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, host)
			return nil
		},
		Options: rpcutil.TracingServerInterceptorOptions(nil),
	})
	if err != nil {
		cmdutil.Exit(fmt.Errorf("could not start language host RPC server: %w", err))
	}
	// The engine reads our port from the first line of stdout.
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		cmdutil.Exit(fmt.Errorf("language host RPC stopped serving: %w", err))
	}
}

type nodeLanguageHost struct {
	// Unimplemented methods answer codes.Unimplemented; the engine falls back where it can.
	pulumirpc.UnimplementedLanguageRuntimeServer

	engineAddress string
	tracing       string

	mu      sync.Mutex
	running map[*exec.Cmd]struct{}
}

func (host *nodeLanguageHost) Handshake(
	ctx context.Context, req *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	host.engineAddress = req.EngineAddress
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (host *nodeLanguageHost) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version.Version}, nil
}

// GetRequiredPackages reports every node_modules package whose package.json carries
// `"pulumi": {"resource": true}`, so the engine knows which resource plugins (and versions) the
// program may load. Errors are logged, not returned: a partial answer is still useful.
func (host *nodeLanguageHost) GetRequiredPackages(
	ctx context.Context, req *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	packages, errs := packagesUnder(req.GetInfo().GetProgramDirectory(), false, map[string]bool{})
	for _, err := range errs {
		logging.V(3).Infof("while discovering plugins: %v", err)
	}
	return &pulumirpc.GetRequiredPackagesResponse{Packages: packages}, nil
}

func packagesUnder(dir string, inNodeModules bool, visited map[string]bool) ([]*pulumirpc.PackageDependency, []error) {
	dir, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return nil, []error{err}
	}
	if visited[dir] {
		return nil, nil
	}
	visited[dir] = true
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, []error{err}
	}
	var packages []*pulumirpc.PackageDependency
	var errs []error
	for _, entry := range entries {
		path := filepath.Join(dir, entry.Name())
		info, err := os.Stat(path) // follows symlinks (npm links, workspaces)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		switch {
		case info.IsDir():
			more, moreErrs := packagesUnder(path, inNodeModules || filepath.Base(dir) == "node_modules", visited)
			packages, errs = append(packages, more...), append(errs, moreErrs...)
		case inNodeModules && entry.Name() == "package.json":
			dep, err := resourcePackage(path)
			if err != nil {
				errs = append(errs, err)
			} else if dep != nil {
				packages = append(packages, dep)
			}
		}
	}
	return packages, errs
}

func resourcePackage(packageJSONPath string) (*pulumirpc.PackageDependency, error) {
	b, err := os.ReadFile(packageJSONPath)
	if err != nil {
		return nil, err
	}
	var pkg struct {
		Name    string                  `json:"name"`
		Version string                  `json:"version"`
		Pulumi  plugin.PulumiPluginJSON `json:"pulumi"`
	}
	if err := json.Unmarshal(b, &pkg); err != nil {
		return nil, fmt.Errorf("%s: %w", packageJSONPath, err)
	}
	if !pkg.Pulumi.Resource {
		return nil, nil
	}
	name := pkg.Pulumi.Name
	if name == "" {
		if !strings.HasPrefix(pkg.Name, "@pulumi/") {
			return nil, fmt.Errorf("%s: a third-party plugin package needs \"pulumi\": {\"name\": …}", packageJSONPath)
		}
		name = strings.TrimPrefix(pkg.Name, "@pulumi/")
	}
	ver := pkg.Pulumi.Version
	if ver == "" {
		ver = pkg.Version
	}
	if ver != "" && !strings.HasPrefix(ver, "v") {
		ver = "v" + ver
	}
	dep := &pulumirpc.PackageDependency{Name: name, Kind: "resource", Version: ver, Server: pkg.Pulumi.Server}
	if p := pkg.Pulumi.Parameterization; p != nil {
		dep.Parameterization = &pulumirpc.PackageParameterization{Name: p.Name, Version: p.Version, Value: p.Value}
	}
	return dep, nil
}

// Run executes the program with the program's own @pulumi/pulumi `cmd/run`, exactly as upstream
// does apart from the monitor proxy (see the package comment).
func (host *nodeLanguageHost) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	if host.engineAddress == "" {
		return nil, errors.New("when running explicitly, call Handshake before Run")
	}
	info := req.GetInfo()
	nodeBin, err := exec.LookPath("node")
	if err != nil {
		return &pulumirpc.RunResponse{Error: "could not find node on the $PATH: " + err.Error()}, nil
	}
	runPath := os.Getenv("PULUMI_LANGUAGE_NODEJS_RUN_PATH")
	if runPath == "" {
		runPath = defaultRunPath
	}
	runPath, err = locateModule(ctx, nodeBin, runPath, info.GetProgramDirectory())
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}

	opts, err := parseOptions(info.GetOptions().AsMap())
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	cfg, err := configJSON(req.GetConfig())
	if err != nil {
		return &pulumirpc.RunResponse{Error: "failed to serialize configuration: " + err.Error()}, nil
	}
	secretKeys := req.GetConfigSecretKeys()
	if secretKeys == nil {
		secretKeys = []string{}
	}
	secretKeysJSON, err := json.Marshal(secretKeys)
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}

	env := append(os.Environ(), "PULUMI_CONFIG="+cfg, "PULUMI_CONFIG_SECRET_KEYS="+string(secretKeysJSON))
	if opts.typescript {
		env = append(env, "PULUMI_NODEJS_TYPESCRIPT=true")
	}
	if opts.tsconfig != "" {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+opts.tsconfig)
	}
	nodeArgs, err := shlex.Split(opts.nodeargs)
	if err != nil {
		return &pulumirpc.RunResponse{Error: "nodeargs: " + err.Error()}, nil
	}
	args := append(nodeArgs, host.runArguments(req, runPath)...)

	cmd := exec.Command(nodeBin, args...)
	cmd.Env = env
	// Node may switch its stdio to non-blocking mode; never hand it our own file descriptors.
	cmd.Stdout = struct{ io.Writer }{os.Stdout}
	cmd.Stderr = struct{ io.Writer }{os.Stderr}
	logging.V(5).Infof("Language host launching process: %s %s", nodeBin, strings.Join(args, " "))

	if err := cmd.Start(); err != nil {
		return &pulumirpc.RunResponse{
			Error: fmt.Sprintf("Problem executing program (could not run language executor): %v", err),
		}, nil
	}
	host.track(cmd, true)
	defer host.track(cmd, false)
	// The engine cancels the request when it gives up on the run: interrupt, then kill after 5 s.
	stopWatching := context.AfterFunc(ctx, func() {
		_ = cmd.Process.Signal(os.Interrupt)
		time.AfterFunc(5*time.Second, func() { _ = cmd.Process.Kill() })
	})
	defer stopWatching()

	err = cmd.Wait()
	_ = os.Stdout.Sync()
	_ = os.Stderr.Sync()
	var exitErr *exec.ExitError
	switch {
	case err == nil:
		return &pulumirpc.RunResponse{}, nil
	case errors.As(err, &exitErr) && exitErr.ExitCode() == exitedAfterUserActionableMessage:
		return &pulumirpc.RunResponse{Bail: true}, nil
	case errors.As(err, &exitErr) && exitErr.ExitCode() > 0:
		return &pulumirpc.RunResponse{
			Error: fmt.Sprintf("Program exited with non-zero exit code: %d", exitErr.ExitCode()),
		}, nil
	case errors.As(err, &exitErr):
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("Program exited unexpectedly: %v", exitErr)}, nil
	default:
		return &pulumirpc.RunResponse{
			Error: fmt.Sprintf("Problem executing program (could not run language executor): %v", err),
		}, nil
	}
}

// runArguments builds the command line of `cmd/run`; same flags and order as upstream v3.248.
func (host *nodeLanguageHost) runArguments(req *pulumirpc.RunRequest, runPath string) []string {
	args := []string{runPath}
	add := func(k, v string) {
		if v != "" {
			args = append(args, "--"+k, v)
		}
	}
	add("monitor", req.GetMonitorAddress())
	add("engine", host.engineAddress)
	add("organization", req.GetOrganization())
	add("project", req.GetProject())
	add("root-directory", req.GetInfo().GetRootDirectory())
	add("stack", req.GetStack())
	add("pwd", req.GetInfo().GetProgramDirectory())
	if req.GetDryRun() {
		args = append(args, "--dry-run")
	}
	add("parallel", strconv.Itoa(int(req.GetParallel())))
	add("tracing", host.tracing)
	// The engine always sends an entry point, "." meaning the program directory's package.json main.
	args = append(args, req.GetInfo().GetEntryPoint())
	return append(args, req.GetArgs()...)
}

// configJSON presents config keys in the legacy `<namespace>:config:<name>` form, which every
// @pulumi/pulumi version understands (upstream does the same).
func configJSON(cfg map[string]string) (string, error) {
	out := make(map[string]string, len(cfg))
	for k, v := range cfg {
		key, err := config.ParseKey(k)
		if err != nil {
			return "", err
		}
		out[key.Namespace()+":config:"+key.Name()] = v
	}
	b, err := json.Marshal(out)
	return string(b), err
}

type nodeOptions struct {
	typescript bool   // run .ts through ts-node (default true)
	tsconfig   string // tsconfig.json path for ts-node
	nodeargs   string // extra arguments for node
}

// parseOptions reads `runtime.options` from Pulumi.yaml. packagemanager is accepted and ignored:
// nothing here installs packages.
func parseOptions(options map[string]any) (nodeOptions, error) {
	opts := nodeOptions{typescript: true}
	if v, ok := options["typescript"]; ok {
		b, isBool := v.(bool)
		if !isBool {
			return opts, errors.New("typescript option must be a boolean")
		}
		opts.typescript = b
	}
	if v, ok := options["tsconfig"]; ok {
		s, isString := v.(string)
		if !isString {
			return opts, errors.New("tsconfigpath option must be a string")
		}
		opts.tsconfig = s
	}
	if v, ok := options["nodeargs"]; ok {
		s, isString := v.(string)
		if !isString {
			return opts, errors.New("nodeargs option must be a string")
		}
		opts.nodeargs = s
	}
	return opts, nil
}

// locateModule resolves a module path the way the program itself would, from its directory.
func locateModule(ctx context.Context, nodeBin, mod, programDir string) (string, error) {
	script := fmt.Sprintf(`try { console.log(require.resolve(%q)); } catch (error) { `+
		`if (error.code === "MODULE_NOT_FOUND") { console.error("It looks like the Pulumi SDK has not been `+
		`installed. Have you run npm install in %s?"); } else { console.error(error.message); } process.exit(1); }`,
		mod, programDir)
	cmd := exec.CommandContext(ctx, nodeBin, "-e", script)
	cmd.Dir = programDir
	out, err := cmd.Output()
	if err != nil {
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			return "", errors.New(strings.TrimSpace(string(exitErr.Stderr)))
		}
		return "", err
	}
	return strings.TrimSpace(string(out)), nil
}

func (host *nodeLanguageHost) track(cmd *exec.Cmd, add bool) {
	host.mu.Lock()
	defer host.mu.Unlock()
	if host.running == nil {
		host.running = map[*exec.Cmd]struct{}{}
	}
	if add {
		host.running[cmd] = struct{}{}
	} else {
		delete(host.running, cmd)
	}
}

// Cancel interrupts running programs; the engine calls it when the user presses Ctrl-C.
func (host *nodeLanguageHost) Cancel(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	host.mu.Lock()
	defer host.mu.Unlock()
	for cmd := range host.running {
		_ = cmd.Process.Signal(os.Interrupt)
	}
	return &emptypb.Empty{}, nil
}

func (host *nodeLanguageHost) About(
	ctx context.Context, req *pulumirpc.AboutRequest,
) (*pulumirpc.AboutResponse, error) {
	nodeBin, err := exec.LookPath("node")
	if err != nil {
		return nil, fmt.Errorf("could not find executable \"node\": %w", err)
	}
	resp := &pulumirpc.AboutResponse{Executable: nodeBin, Metadata: map[string]string{"packagemanager": "npm"}}
	if out, err := exec.CommandContext(ctx, nodeBin, "--version").Output(); err == nil {
		resp.Version = strings.TrimSpace(string(out))
	}
	return resp, nil
}

func (host *nodeLanguageHost) RuntimeOptionsPrompts(
	context.Context, *pulumirpc.RuntimeOptionsRequest,
) (*pulumirpc.RuntimeOptionsResponse, error) {
	return &pulumirpc.RuntimeOptionsResponse{}, nil
}

const offlineNote = "is not supported by this offline build of pulumi-language-nodejs " +
	"(scripts/pulumi-cli/language-nodejs); "

func (host *nodeLanguageHost) InstallDependencies(
	req *pulumirpc.InstallDependenciesRequest, _ grpc.ServerStreamingServer[pulumirpc.InstallDependenciesResponse],
) error {
	return status.Errorf(codes.Unimplemented, "installing dependencies %srun `npm install` in %s yourself",
		offlineNote, req.GetInfo().GetProgramDirectory())
}

func (host *nodeLanguageHost) GetProgramDependencies(
	context.Context, *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	return nil, status.Errorf(codes.Unimplemented, "listing program dependencies %suse `npm ls`", offlineNote)
}
