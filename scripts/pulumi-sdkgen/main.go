// pulumi-sdkgen writes Pulumi SDKs from a package schema with the code generators of pkg/v3, the
// same ones `pulumi package gen-sdk` uses. The CLI reaches them only through each language's host
// (GeneratePackage), and the hosts for Python and Go are not served by the Go module proxy, so we
// call the generators directly.
//
//	pulumi-sdkgen -schema schema.json -out sdk -language nodejs,python,go
//
// Each language is written to <out>/<language>, replacing what was there only once it generated.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/blang/semver"
	gogen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	"github.com/pulumi/pulumi/pkg/v3/codegen/nodejs"
	"github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

// The "tool" the generators name in their "do not edit" banners.
const tool = "pulumi-sdkgen"

var generators = map[string]func(*schema.Package) (map[string][]byte, error){
	"nodejs": func(pkg *schema.Package) (map[string][]byte, error) {
		return nodejs.GeneratePackage(tool, pkg, nil, nil, false, selfContained{})
	},
	"python": func(pkg *schema.Package) (map[string][]byte, error) {
		return python.GeneratePackage(tool, pkg, nil, selfContained{})
	},
	"go": func(pkg *schema.Package) (map[string][]byte, error) {
		return gogen.GeneratePackage(tool, pkg, nil)
	},
}

func main() {
	schemaPath := flag.String("schema", "", "the package schema (JSON)")
	out := flag.String("out", "", "directory that receives one subdirectory per language")
	languages := flag.String("language", "nodejs,python,go", "comma-separated: nodejs, python, go")
	flag.Parse()
	if *schemaPath == "" || *out == "" || flag.NArg() > 0 {
		fail("usage: pulumi-sdkgen -schema <schema.json> -out <dir> [-language nodejs,python,go]")
	}
	if err := run(*schemaPath, *out, strings.Split(*languages, ",")); err != nil {
		fail(err.Error())
	}
}

func run(schemaPath, out string, languages []string) error {
	for _, lang := range languages {
		if generators[lang] == nil {
			return fmt.Errorf("unknown language %q (supported: nodejs, python, go)", lang)
		}
	}
	raw, err := os.ReadFile(schemaPath)
	if err != nil {
		return err
	}
	var spec schema.PackageSpec
	if err := json.Unmarshal(raw, &spec); err != nil {
		return fmt.Errorf("%s is not a package schema: %w", schemaPath, err)
	}
	for _, lang := range languages {
		// Each generator mutates the bound package (language sections), so bind once per language.
		pkg, diags, err := schema.BindSpec(spec, selfContained{}, schema.ValidationOptions{})
		if err != nil {
			return fmt.Errorf("%s: %w", schemaPath, err)
		}
		if diags.HasErrors() {
			var lines []string
			for _, e := range diags.Errs() {
				// "<subject>: <summary>; <detail>", and a schema has no source ranges
				line := strings.TrimSuffix(strings.TrimPrefix(e.Error(), "<nil>: "), "; ")
				lines = append(lines, "  "+line)
			}
			return fmt.Errorf("%s is not a valid package schema:\n%s", schemaPath, strings.Join(lines, "\n"))
		}
		files, err := generators[lang](pkg)
		if err != nil {
			return fmt.Errorf("generating the %s SDK: %w", lang, err)
		}
		if err := writeTree(filepath.Join(out, lang), files); err != nil {
			return err
		}
		fmt.Printf("%s: %d files in %s\n", lang, len(files), filepath.Join(out, lang))
	}
	return nil
}

// writeTree writes files into a sibling directory, then swaps it in, so a failed run leaves the
// previous SDK intact.
func writeTree(dir string, files map[string][]byte) error {
	staging := dir + ".partial"
	if err := os.RemoveAll(staging); err != nil {
		return err
	}
	for name, content := range files {
		target := filepath.Join(staging, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(target, content, 0o644); err != nil {
			return err
		}
	}
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	return os.Rename(staging, dir)
}

// selfContained is the loader for schemas that refer to no other package: a reference to one is an
// error naming it, instead of a download.
type selfContained struct{}

func (selfContained) LoadPackage(pkg string, _ *semver.Version) (*schema.Package, error) {
	return nil, fmt.Errorf("the schema refers to package %q; only self-contained schemas are supported", pkg)
}

func (l selfContained) LoadPackageV2(_ context.Context, d *schema.PackageDescriptor) (*schema.Package, error) {
	return l.LoadPackage(d.Name, d.Version)
}

func (l selfContained) LoadPackageReference(pkg string, v *semver.Version) (schema.PackageReference, error) {
	_, err := l.LoadPackage(pkg, v)
	return nil, err
}

func (l selfContained) LoadPackageReferenceV2(
	_ context.Context, d *schema.PackageDescriptor,
) (schema.PackageReference, error) {
	return l.LoadPackageReference(d.Name, d.Version)
}

func fail(message string) {
	fmt.Fprintln(os.Stderr, "pulumi-sdkgen: "+message)
	os.Exit(1)
}
