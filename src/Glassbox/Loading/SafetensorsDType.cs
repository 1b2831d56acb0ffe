namespace Glassbox.Loading;

/// <summary>
/// Element types of a safetensors tensor that Glassbox reads and writes. The names match the
/// format's <c>dtype</c> strings exactly. Other dtypes the format defines (U16, U32, U64, the F8
/// variants, ...) are rejected on open with a message saying so.
/// </summary>
public enum SafetensorsDType
{
    F64,
    F32,
    F16,
    BF16,
    I64,
    I32,
    I16,
    I8,
    U8,
    BOOL,
}
