using System.Reflection;

namespace MusicClassification.Tests;

/// <summary>The pipeline keeps its own copy of the options: every setting copied, every nested group its own object.</summary>
[TestClass]
public sealed class PipelineOptionsCopyTests
{
    [TestMethod]
    public void Every_setting_is_copied_and_no_nested_group_is_shared()
    {
        var options = new PipelineOptions();
        ChangeEverySetting(options);

        PipelineOptions copy = options.Copy();

        AssertSameSettings(options, copy, nameof(PipelineOptions));
        Assert.AreSame(options.BufferPool, copy.BufferPool, "the buffer pool is shared on purpose");
    }

    [TestMethod]
    public void Changes_after_the_copy_do_not_reach_it()
    {
        var options = new PipelineOptions();
        PipelineOptions copy = options.Copy();

        ChangeEverySetting(options);

        AssertSameSettings(new PipelineOptions(), copy, nameof(PipelineOptions));
    }

    private static IEnumerable<PropertyInfo> Settings(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanRead && p.CanWrite);

    private static bool IsGroup(Type type) => type.IsClass && type != typeof(string) && type.Name.EndsWith("Options", StringComparison.Ordinal);

    /// <summary>Gives every setting, nested groups' included, a value other than its default.</summary>
    private static void ChangeEverySetting(object options)
    {
        foreach (PropertyInfo setting in Settings(options.GetType()))
        {
            Type type = Nullable.GetUnderlyingType(setting.PropertyType) ?? setting.PropertyType;
            object? value = setting.GetValue(options);
            if (IsGroup(type))
            {
                ChangeEverySetting(value!);
                continue;
            }

            setting.SetValue(options, type switch
            {
                _ when type == typeof(int) => (value as int? ?? 0) + 7,
                _ when type == typeof(long) => (value as long? ?? 0) + 7,
                _ when type == typeof(bool) => !(bool)value!,
                _ when type == typeof(string) => "changed",
                _ when type == typeof(TimeSpan) => (value as TimeSpan? ?? TimeSpan.Zero) + TimeSpan.FromSeconds(7),
                _ when type.IsEnum => Enum.GetValues(type).Cast<object>().First(v => !v.Equals(value)),
                _ when type == typeof(System.Buffers.ArrayPool<float>) => System.Buffers.ArrayPool<float>.Create(),
                _ => throw new AssertFailedException($"{options.GetType().Name}.{setting.Name} is of a type this test does not know ({type.Name}): teach it, and check the copy."),
            });
        }
    }

    private static void AssertSameSettings(object expected, object actual, string path)
    {
        foreach (PropertyInfo setting in Settings(expected.GetType()))
        {
            object? a = setting.GetValue(expected);
            object? b = setting.GetValue(actual);
            if (IsGroup(setting.PropertyType))
            {
                Assert.AreNotSame(a, b, $"{path}.{setting.Name} is shared, not copied");
                AssertSameSettings(a!, b!, $"{path}.{setting.Name}");
            }
            else if (setting.PropertyType != typeof(System.Buffers.ArrayPool<float>))
            {
                Assert.AreEqual(a, b, $"{path}.{setting.Name}");
            }
        }
    }
}
