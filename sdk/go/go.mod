module github.com/pulumi-panorama/pulumi-panorama/sdk/go

go 1.25

require github.com/pulumi/pulumi/sdk/v3 v3.30.0
