// Check, Diff, Create, Read, Update and Delete: transport only. Each unwraps the request's
// properties, calls the one lifecycle (the same implementation the dynamic door runs) with the
// operation's CallContext, and wraps what it answers. Rules about objects stay in the lifecycle.
import type * as pb from "@pulumi/pulumi/proto/provider_pb";
import type { CallContext } from "../lifecycle/callContext";
import type { Props, ResourceSpec } from "../lifecycle/resourceSpec";
import { importedState, withDerivedInputs, withSecretKeys } from "./derivedInputs";
import { checkFailures, grpcError, unary } from "./grpcErrors";
import { emptyproto, provproto } from "./grpcRuntime";
import { Operations } from "./operations";
import {
  annotateSecrets,
  fromStruct,
  scopeOf,
  toStruct,
  unwrap,
  withoutNulls,
  wrapOutputs,
} from "./properties";
import { implementationOf } from "./tokens";
import { detailedDiff } from "./detailedDiff";

/**
 * The lifecycle as the contract between it and its doors has it: every method takes the
 * CallContext last, diff names what updates as well as what replaces.
 */
interface Lifecycle {
  spec: ResourceSpec;
  check(
    olds: Props,
    news: Props,
    ctx?: CallContext,
  ): Promise<{ inputs?: Props; failures?: { property: string; reason: string }[] }>;
  diff(
    id: string,
    olds: Props,
    news: Props,
    ctx?: CallContext,
  ): Promise<{
    changes?: boolean;
    replaces?: string[];
    updates?: string[];
    deleteBeforeReplace?: boolean;
  }>;
  create(inputs: Props, ctx?: CallContext): Promise<{ id: string; outs?: Props }>;
  read(
    id: string,
    props: Props,
    ctx?: CallContext,
  ): Promise<{ id?: string; props?: Props; inputs?: Props }>;
  update(id: string, olds: Props, news: Props, ctx?: CallContext): Promise<{ outs?: Props }>;
  delete(id: string, props: Props, ctx?: CallContext): Promise<void>;
}

function lifecycleOf(tok: string): Lifecycle {
  return implementationOf(tok);
}

export function resourceMethods(ops: Operations) {
  return {
    check: unary(async (req: pb.CheckRequest) => {
      const impl = lifecycleOf(req.getType());
      const raw = withoutNulls(fromStruct(req.getNews()));
      const derived = withDerivedInputs(impl.spec, scopeOf(req.getUrn()), unwrap(raw), raw);
      const olds = unwrap(fromStruct(req.getOlds()));
      const result = await ops.run(req.getUrn(), {}, (ctx) =>
        impl.check(olds, derived.inputs, ctx),
      );
      const inputs = withSecretKeys(
        annotateSecrets(result.inputs ?? derived.inputs, raw),
        derived.secretKeys,
      );
      const resp = new provproto.CheckResponse();
      resp.setInputs(toStruct(inputs));
      resp.setFailuresList(checkFailures(result.failures ?? []));
      return resp;
    }),

    diff: unary(async (req: pb.DiffRequest) => {
      const impl = lifecycleOf(req.getType());
      const olds = unwrap(fromStruct(req.getOlds()));
      const news = unwrap(fromStruct(req.getNews()));
      const result = await ops.run(req.getUrn(), {}, (ctx) =>
        impl.diff(req.getId(), olds, news, ctx),
      );
      return detailedDiff(impl.spec, olds, news, result);
    }),

    create: unary(
      async (req: pb.CreateRequest) => {
        const impl = lifecycleOf(req.getType());
        const raw = fromStruct(req.getProperties());
        const inputs = unwrap(raw);
        const resp = new provproto.CreateResponse();
        if (req.getPreview()) {
          // The lifecycle previews updates only: a create's outputs are its inputs, the rest unknown.
          resp.setProperties(toStruct(wrapOutputs(impl.spec, inputs, raw)));
          return resp;
        }
        const options = { timeoutSeconds: req.getTimeout() };
        const created = await ops.run(req.getUrn(), options, (ctx) => impl.create(inputs, ctx));
        resp.setId(created.id);
        resp.setProperties(toStruct(wrapOutputs(impl.spec, created.outs ?? {}, raw)));
        return resp;
      },
      (req, e) => failure(req.getType(), e, fromStruct(req.getProperties())),
    ),

    read: unary(async (req: pb.ReadRequest) => {
      const impl = lifecycleOf(req.getType());
      const rawState = fromStruct(req.getProperties());
      const rawInputs = fromStruct(req.getInputs());
      const importing = Object.keys(rawState).length === 0;
      const id = req.getId();
      let region: string | undefined;
      const result = await ops.run(req.getUrn(), { timeoutSeconds: req.getTimeout() }, (ctx) => {
        region = ctx.clients?.region(undefined);
        return impl.read(id, unwrap(rawState), ctx);
      });
      const resp = new provproto.ReadResponse();
      if (!result.props) {
        if (importing) throw new Error(notFound(req.getType(), impl.spec, id, region));
        return resp; // gone: no id, the engine drops it from the stack
      }
      let outs = result.props;
      let inputs = result.inputs;
      if (importing) {
        const imported = importedState(impl.spec, scopeOf(req.getUrn()), outs, region);
        outs = imported.outs;
        inputs ??= imported.inputs;
      }
      resp.setId(result.id ?? id);
      resp.setProperties(toStruct(wrapOutputs(impl.spec, outs, rawState, rawInputs)));
      if (inputs) resp.setInputs(toStruct(annotateSecrets(inputs, rawInputs)));
      return resp;
    }),

    update: unary(
      async (req: pb.UpdateRequest) => {
        const impl = lifecycleOf(req.getType());
        const rawOlds = fromStruct(req.getOlds());
        const rawNews = fromStruct(req.getNews());
        const options = { timeoutSeconds: req.getTimeout(), preview: req.getPreview() };
        const updated = await ops.run(req.getUrn(), options, (ctx) =>
          impl.update(req.getId(), unwrap(rawOlds), unwrap(rawNews), ctx),
        );
        const resp = new provproto.UpdateResponse();
        resp.setProperties(toStruct(wrapOutputs(impl.spec, updated.outs ?? {}, rawOlds, rawNews)));
        return resp;
      },
      (req, e) => failure(req.getType(), e, fromStruct(req.getOlds()), fromStruct(req.getNews())),
    ),

    delete: unary(async (req: pb.DeleteRequest) => {
      const impl = lifecycleOf(req.getType());
      const props = unwrap(fromStruct(req.getProperties()));
      await ops.run(req.getUrn(), { timeoutSeconds: req.getTimeout() }, (ctx) =>
        impl.delete(req.getId(), props, ctx),
      );
      return new emptyproto.Empty();
    }),
  };
}

/** The error of a create or update; a recorded object's outputs are wrapped like any outputs. */
function failure(tok: string, error: unknown, ...raw: Props[]) {
  let spec: ResourceSpec | undefined;
  try {
    spec = lifecycleOf(tok).spec;
  } catch {
    return grpcError(error);
  }
  return grpcError(error, (props) => wrapOutputs(spec!, props, ...raw));
}

/** Why an import found nothing: the id, where it looked, and how to list what there is. */
function notFound(tok: string, spec: ResourceSpec, id: string, region: string | undefined): string {
  const where = region ? ` in ${region}` : "";
  const list = spec.adopt
    ? ` List the ids there are with \`aws panorama ${spec.adopt.list}${region ? ` --region ${region}` : ""}\`` +
      " (against the emulator, add `--endpoint-url <its URL>`)."
    : "";
  return `${tok} ${id} does not exist${where}, so it cannot be imported.${list}`;
}
