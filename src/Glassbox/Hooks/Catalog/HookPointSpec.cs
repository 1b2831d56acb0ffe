// Compiled into both the runtime and the generator (linked file): keep it netstandard2.0-friendly.
namespace Glassbox.Hooks
{
    /// <summary>One entry of the hook catalog: a hook point name (per block or model-wide) and what flows there.</summary>
    public sealed class HookPointSpec
    {
        public HookPointSpec(string name, bool inBlock, HookKind kind, string alias, string description,
            ModelFeatures requires = ModelFeatures.None, bool gated = false, HeadCount heads = HeadCount.None)
        {
            Name = name;
            InBlock = inBlock;
            Kind = kind;
            Alias = alias;
            Description = description;
            Requires = requires;
            Gated = gated;
            Heads = heads != HeadCount.None ? heads : DefaultHeads(kind);
        }

        /// <summary>The name inside a block (<c>attn.hook_pattern</c>) or the full model-wide name (<c>hook_embed</c>).</summary>
        public string Name { get; }

        /// <summary>True for points that exist once per block, named <c>blocks.{layer}.{Name}</c>.</summary>
        public bool InBlock { get; }

        public HookKind Kind { get; }

        /// <summary>TransformerLens's short name (<c>get_act_name</c>): <c>pattern</c>, <c>resid_pre</c>, <c>q</c>.</summary>
        public string Alias { get; }

        public string Description { get; }

        public ModelFeatures Requires { get; }

        /// <summary>Computed only when something listens (a deliberate improvement on TransformerLens's dormant hooks).</summary>
        public bool Gated { get; }

        /// <summary>Which head count the head axis has, if there is one.</summary>
        public HeadCount Heads { get; }

        public string[] Axes => AxesOf(Kind);

        /// <summary>Index of the position axis (the query axis for attention tensors).</summary>
        public int PositionAxis => Kind == HookKind.AttentionScores || Kind == HookKind.AttentionPattern ? 2 : 1;

        /// <summary>Index of the head axis, or -1.</summary>
        public int HeadAxis
        {
            get
            {
                switch (Kind)
                {
                    case HookKind.HeadVectors:
                    case HookKind.HeadResiduals: return 2;
                    case HookKind.AttentionScores:
                    case HookKind.AttentionPattern: return 1;
                    default: return -1;
                }
            }
        }

        /// <summary>Index of the neuron axis (d_mlp), or -1.</summary>
        public int NeuronAxis => Kind == HookKind.Neurons ? 2 : -1;

        public bool IsAvailable(ModelFeatures features) => (features & Requires) == Requires;

        /// <summary>The full name at <paramref name="layer"/> (ignored for model-wide points).</summary>
        public string FullName(int layer) => InBlock ? "blocks." + layer + "." + Name : Name;

        public override string ToString() => InBlock ? "blocks.<L>." + Name : Name;

        public static string[] AxesOf(HookKind kind)
        {
            switch (kind)
            {
                case HookKind.Residual: return new[] { "batch", "pos", "d_model" };
                case HookKind.LayerNormScale: return new[] { "batch", "pos", "1" };
                case HookKind.HeadVectors: return new[] { "batch", "pos", "head_index", "d_head" };
                case HookKind.HeadResiduals: return new[] { "batch", "pos", "head_index", "d_model" };
                case HookKind.AttentionScores:
                case HookKind.AttentionPattern: return new[] { "batch", "head_index", "query_pos", "key_pos" };
                case HookKind.Neurons: return new[] { "batch", "pos", "d_mlp" };
                default: return new[] { "batch", "pos", "d_vocab" };
            }
        }

        static HeadCount DefaultHeads(HookKind kind)
        {
            switch (kind)
            {
                case HookKind.HeadVectors:
                case HookKind.HeadResiduals:
                case HookKind.AttentionScores:
                case HookKind.AttentionPattern: return HeadCount.Heads;
                default: return HeadCount.None;
            }
        }
    }
}
