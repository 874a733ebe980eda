using System.Linq;
using System.Reflection;
using Koto.Schema;
using NUnit.Framework;

namespace Koto.Live.Tests
{
    /// <summary>The committed generated classes compile and carry the fields the SDK reads.</summary>
    [TestFixture]
    public class SchemaTests
    {
        [Test]
        public void GeneratedClassesHaveTheSyncedFields()
        {
            var state = new LessonState();
            Assert.IsNotNull(state.participants);
            Assert.IsNotNull(state.attempts);
            var attempt = new Attempt();
            Assert.IsNotNull(attempt.syllables);
            Assert.AreEqual("", new Participant().platform);
            var indexes = typeof(Attempt).GetFields(BindingFlags.Public | BindingFlags.Instance)
                .Select(field => field.GetCustomAttributes(typeof(Colyseus.Schema.Type), false).Cast<Colyseus.Schema.Type>().Single().Index)
                .ToArray();
            Assert.AreEqual(Enumerable.Range(0, indexes.Length).ToArray(), indexes, "field indexes are dense and in order");
            Assert.That(typeof(Attempt).GetField("status"), Is.Not.Null);
            Assert.That(typeof(SyllableResult).GetField("jamo"), Is.Not.Null);
        }
    }
}
