namespace Continuity.Mail; internal static class Placeholder { }
