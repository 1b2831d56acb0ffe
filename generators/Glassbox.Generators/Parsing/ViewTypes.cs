using Glassbox.Hooks;

namespace Glassbox.Generators.Parsing
{
    /// <summary>A handler's first parameter: a typed view of one hook kind, or a plain tensor that fits every point.</summary>
    internal sealed class ViewType
    {
        public ViewType(string metadataName, HookKind? kind, bool isReadOnly)
        {
            MetadataName = metadataName;
            Kind = kind;
            IsReadOnly = isReadOnly;
        }

        /// <summary>Full metadata name: <c>Glassbox.ReadOnlyAttentionPattern</c>, <c>Glassbox.Tensors.Tensor</c>.</summary>
        public string MetadataName { get; }

        /// <summary>The kind it views, or null for the plain tensors.</summary>
        public HookKind? Kind { get; }

        public bool IsReadOnly { get; }

        public string ShortName => MetadataName.Substring(MetadataName.LastIndexOf('.') + 1);

        public string GlobalName => "global::" + MetadataName;

        public bool Fits(HookKind kind) => Kind is null || Kind == kind;
    }

    internal static class ViewTypes
    {
        public const string TensorName = "Glassbox.Tensors.Tensor";
        public const string ReadOnlyTensorName = "Glassbox.ReadOnlyTensor";
        public const string HookContextName = "Glassbox.Hooks.HookContext";

        public static ViewType ReadOnly(HookKind kind) => new("Glassbox.ReadOnly" + kind, kind, true);

        public static ViewType Mutable(HookKind kind) => new("Glassbox." + kind, kind, false);

        /// <summary>The view type named <paramref name="metadataName"/>, or null if it is none.</summary>
        public static ViewType? Find(string metadataName)
        {
            if (metadataName == TensorName) return new ViewType(TensorName, null, false);
            if (metadataName == ReadOnlyTensorName) return new ViewType(ReadOnlyTensorName, null, true);
            foreach (HookKind kind in new[]
            {
                HookKind.Residual, HookKind.LayerNormScale, HookKind.HeadVectors, HookKind.HeadResiduals,
                HookKind.AttentionScores, HookKind.AttentionPattern, HookKind.Neurons, HookKind.Logits,
            })
            {
                if (metadataName == "Glassbox." + kind) return Mutable(kind);
                if (metadataName == "Glassbox.ReadOnly" + kind) return ReadOnly(kind);
            }
            return null;
        }

        /// <summary>"ReadOnlyAttentionPattern (observer), AttentionPattern (editor), ReadOnlyTensor or Tensor".</summary>
        public static string Accepted(HookKind kind)
            => "ReadOnly" + kind + " (observer), " + kind + " (editor, which may return a replacement " + kind + "), ReadOnlyTensor or Tensor";

        /// <summary>The shape of a kind's tensor, for messages.</summary>
        public static string Shape(HookKind kind) => "[" + string.Join(", ", HookPointSpec.AxesOf(kind)) + "]";
    }
}
