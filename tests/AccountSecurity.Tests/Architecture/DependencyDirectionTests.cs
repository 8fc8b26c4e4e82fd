using System.Reflection;
using System.Reflection.Emit;
using AccountSecurity.SignIn;

namespace AccountSecurity.Tests.Architecture;

/// <summary>
/// Flows call down, nothing calls back up (DESIGN.md): sign-in uses two-factor authentication, never the reverse. Read
/// from the compiled assembly — signatures, fields (also of the compiler's closures and async state machines) and
/// every member or type a method body refers to — so neither a constructor parameter nor a static call slips through.
/// </summary>
public sealed class DependencyDirectionTests
{
    private static readonly Assembly Core = typeof(SignInService).Assembly;

    [Test]
    public void NoTypeInTwoFactor_DependsOnATypeInSignIn()
    {
        // The session a sign-in produces is a value every sensitive operation takes as its actor (issue 26's step-up):
        // passing it down is data, not a call back up into the sign-in flow.
        Type[] sessionValues = [typeof(AuthenticatedSession), typeof(AuthenticationMethods)];
        var offending = TypesIn("AccountSecurity.TwoFactor")
            .SelectMany(type => References(type).Where(r => InNamespace(r.Target, "AccountSecurity.SignIn") && !sessionValues.Contains(r.Target)).Select(r => $"{type.FullName} -> {r.Target.FullName} ({r.Via})"))
            .Distinct()
            .ToList();

        offending.Should().BeEmpty("two-factor authentication is below sign-in and must not call back up");
    }

    [Test]
    public void TheCheck_SeesSignInUsingTwoFactor()
    {
        // The scan must find a dependency that exists, or an empty answer above would prove nothing.
        TypesIn("AccountSecurity.SignIn").SelectMany(References).Should().Contain(r => r.Via.EndsWith(" body", StringComparison.Ordinal) && InNamespace(r.Target, "AccountSecurity.TwoFactor"));
        References(typeof(SignInService)).Should().Contain(r => r.Via.StartsWith("constructor", StringComparison.Ordinal) && InNamespace(r.Target, "AccountSecurity.TwoFactor"));
    }

    private static IEnumerable<Type> TypesIn(string ns) =>
        Core.GetTypes().Where(t => InNamespace(Outermost(t), ns));

    private static Type Outermost(Type type)
    {
        while (type.DeclaringType is { } outer)
        {
            type = outer;
        }

        return type;
    }

    private static bool InNamespace(Type type, string ns)
    {
        var t = type.IsArray || type.IsByRef || type.IsPointer ? type.GetElementType()! : type;
        t = Outermost(t);
        return t.Namespace == ns || (t.Namespace?.StartsWith(ns + ".", StringComparison.Ordinal) ?? false);
    }

    private const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static IEnumerable<(Type Target, string Via)> References(Type type)
    {
        foreach (var t in Expand(type.BaseType).Concat(type.GetInterfaces().SelectMany(Expand)))
        {
            yield return (t, "base");
        }

        foreach (var field in type.GetFields(All))
        {
            foreach (var t in Expand(field.FieldType))
            {
                yield return (t, "field " + field.Name);
            }
        }

        foreach (var property in type.GetProperties(All))
        {
            foreach (var t in Expand(property.PropertyType))
            {
                yield return (t, "property " + property.Name);
            }
        }

        foreach (var method in type.GetConstructors(All).Cast<MethodBase>().Concat(type.GetMethods(All)))
        {
            var via = (method is ConstructorInfo ? "constructor" : "method ") + (method is ConstructorInfo ? string.Empty : method.Name);
            var signature = method.GetParameters().Select(p => p.ParameterType).Concat(method is MethodInfo m ? [m.ReturnType] : []);
            foreach (var t in signature.SelectMany(Expand))
            {
                yield return (t, via);
            }

            foreach (var t in BodyReferences(method).SelectMany(Expand))
            {
                yield return (t, via + " body");
            }
        }
    }

    /// <summary>A type with its generic arguments and element type, recursively.</summary>
    private static IEnumerable<Type> Expand(Type? type)
    {
        if (type is null || type.IsGenericParameter)
        {
            yield break;
        }

        yield return type;
        if (type.HasElementType)
        {
            foreach (var t in Expand(type.GetElementType()))
            {
                yield return t;
            }
        }

        if (type.IsGenericType)
        {
            foreach (var t in type.GetGenericArguments().SelectMany(Expand))
            {
                yield return t;
            }
        }
    }

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    /// <summary>The declaring types of the methods and fields, and the types, that <paramref name="method"/>'s IL refers to.</summary>
    private static IEnumerable<Type> BodyReferences(MethodBase method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null)
        {
            yield break;
        }

        var typeArgs = method.DeclaringType?.IsGenericType == true ? method.DeclaringType.GetGenericArguments() : null;
        var methodArgs = method.IsGenericMethod ? method.GetGenericArguments() : null;
        for (var i = 0; i < il.Length;)
        {
            short value = il[i] == 0xFE ? (short)(0xFE00 | il[i + 1]) : il[i];
            i += il[i] == 0xFE ? 2 : 1;
            var op = OpCodesByValue[value];
            switch (op.OperandType)
            {
                case OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineType or OperandType.InlineTok:
                    var member = method.Module.ResolveMember(BitConverter.ToInt32(il, i), typeArgs, methodArgs);
                    switch (member)
                    {
                        case Type t:
                            yield return t;
                            break;
                        case FieldInfo f:
                            yield return f.DeclaringType!;
                            yield return f.FieldType;
                            break;
                        case MethodBase m:
                            yield return m.DeclaringType!;
                            foreach (var p in m.GetParameters())
                            {
                                yield return p.ParameterType;
                            }

                            if (m is MethodInfo mi)
                            {
                                yield return mi.ReturnType;
                            }

                            break;
                    }

                    i += 4;
                    break;
                case OperandType.InlineSwitch:
                    i += 4 + (4 * BitConverter.ToInt32(il, i));
                    break;
                case OperandType.InlineI8 or OperandType.InlineR:
                    i += 8;
                    break;
                case OperandType.InlineNone:
                    break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                    i += 1;
                    break;
                case OperandType.InlineVar:
                    i += 2;
                    break;
                default:
                    i += 4;
                    break;
            }
        }
    }
}
