public class Smoke { [Fact] public void Runs() => 1.Should().Be(1); }
