// Test-only stand-in for the few Colyseus.Schema types the generated state classes name, so the
// committed C# in unity-sdk/Runtime/Schema can be compiled with Mono's mcs (the real SDK needs C# 9).
// Shapes follow io.colyseus.sdk's Schema.cs (Type attribute arguments) and its collection types.
// Never shipped: the package uses the real SDK.
using System.Collections.Generic;

namespace Colyseus.Schema
{
    [System.AttributeUsage(System.AttributeTargets.Field)]
    public class Type : System.Attribute
    {
        public int Index;
        public string FieldType;
        public System.Type ChildType;
        public string ChildPrimitiveType;

        public Type(int index, string type, System.Type childType = null, string childPrimitiveType = null)
        {
            Index = index;
            FieldType = type;
            ChildType = childType;
            ChildPrimitiveType = childPrimitiveType;
        }
    }

    public class Schema
    {
    }

    public class ArraySchema<T> : List<T>
    {
    }

    public class MapSchema<T> : Dictionary<string, T>
    {
    }
}
