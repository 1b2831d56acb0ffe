namespace Glassbox; internal static class Placeholder {}
