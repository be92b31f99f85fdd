// AWS Panorama package import jobs waited on until SUCCEEDED, packages, package versions and device deployments pinned to the imported patches.
package panorama
