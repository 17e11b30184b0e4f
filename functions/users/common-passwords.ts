// Passwords attackers try first. Exact entries are refused outright; the words are refused when a password
// is only one of them with digits or symbols around it (Password2024!, Qwertyuiop123).
export const COMMON_PASSWORDS: ReadonlySet<string> = new Set([
  '123456789012', '1234567890123', '12345678901234', '123456789012345', '1234567890qwerty', 'password1234',
  'password12345', 'password123456', 'qwerty123456', 'qwertyuiop12', 'qwertyuiop123', '1q2w3e4r5t6y',
  '1q2w3e4r5t6y7u', '1qaz2wsx3edc', '1qaz2wsx3edc4rfv', 'zaq12wsxcde3', 'qazwsxedcrfv', 'iloveyou1234',
  'letmein12345', 'welcome12345', 'administrator', 'admin1234567', '111111111111', '000000000000',
  '999999999999', '123123123123', 'abcdefghijkl', 'abcd1234abcd', 'password1!', 'passwordpassword',
  'trustno1trustno1', 'correcthorsebatterystaple', 'aaaaaaaaaaaa', 'asdfghjkl123', 'asdfasdfasdf', 'qweasdzxc123',
  '987654321012', '098765432109', '11223344556677', '102030405060',
]);

export const COMMON_WORDS: ReadonlySet<string> = new Set([
  'password', 'passw0rd', 'qwerty', 'qwertyuiop', 'qwertyuiopasdfghjkl', 'asdfghjkl', 'asdfgh', 'zxcvbnm',
  'letmein', 'welcome', 'admin', 'administrator', 'iloveyou', 'monkey', 'dragon', 'football',
  'baseball', 'basketball', 'soccer', 'hockey', 'master', 'shadow', 'sunshine', 'princess',
  'superman', 'batman', 'trustno', 'login', 'abc', 'abcdef', 'abcdefg', 'abcdefghijkl',
  'starwars', 'whatever', 'freedom', 'michael', 'jennifer', 'jordan', 'hunter', 'ranger',
  'buster', 'thomas', 'charlie', 'robert', 'daniel', 'andrew', 'joshua', 'matthew',
  'hello', 'hellothere', 'changeme', 'secret', 'default', 'guest', 'root', 'user',
  'test', 'tester', 'computer', 'internet', 'summer', 'winter', 'spring', 'autumn',
  'flower', 'chocolate', 'cookie', 'cheese', 'pizza', 'pepper', 'orange', 'banana',
  'apple', 'restaurant', 'kitchen', 'chef', 'manager', 'owner', 'staff', 'waiter',
  'menu', 'burger', 'coffee', 'qazwsx', 'qazwsxedc', 'zaq', 'zaqxsw', 'azerty',
  'lovely', 'loveme', 'mustang', 'harley', 'ginger', 'killer', 'access', 'pokemon',
  'naruto', 'samsung', 'google', 'facebook', 'linkedin', 'twitter', 'january', 'february',
  'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october',
  'november', 'december', 'monday', 'friday', 'mypassword', 'yourpassword', 'thepassword', 'passwordpassword',
  'adminadmin', 'rootroot', 'letmeinnow', 'opensesame',
]);
