"""What looks like personal data but is no one's, for personal-data (CNT010): reserved and
placeholder email domains and mailboxes, role accounts, fictional and toll-free phone ranges,
payment providers' test cards, documentation IBANs, public resolvers and made-up IP addresses."""
from __future__ import annotations

import re

# Not a person's: reserved names (RFC 2606, 6761, 6762), placeholder domains and mailboxes, role
# accounts of organisations (RFC 2142 and common practice), and image names like icon@2x.png.
RESERVED_TLDS = frozenset({"example", "test", "invalid", "localhost", "local", "internal", "lan", "home"})
PLACEHOLDER_DOMAINS = frozenset({
    "example.com", "example.net", "example.org", "example.edu", "domain.com", "yourdomain.com", "mydomain.com",
    "company.com", "yourcompany.com", "mycompany.com", "acme.com", "acme.org", "sample.com", "test.com",
    "foo.com", "bar.com", "foobar.com", "somewhere.com", "somedomain.com", "website.com", "yourwebsite.com",
    "email.com", "youremail.com", "emailaddress.com", "xyz.com", "abc.com", "host.com", "server.com",
    "company.org", "organization.org", "school.edu", "university.edu", "users.noreply.github.com"})
PLACEHOLDER_LOCALS = frozenset({
    "user", "username", "name", "yourname", "your.name", "your_name", "firstname", "lastname",
    "firstname.lastname", "first.last", "firstlast", "john.doe", "jane.doe", "johndoe", "janedoe", "john_doe",
    "jane_doe", "jdoe", "someone", "somebody", "anyone", "me", "you", "test", "testing", "tester", "foo", "bar",
    "foobar", "email", "youremail", "your.email", "your_email", "myemail", "my.email", "mail", "abc", "xyz",
    "xxx", "sample", "example", "demo", "dummy", "fake", "alice", "bob", "user1", "user2", "recipient", "sender"})
ROLE_LOCALS = frozenset({
    "info", "support", "help", "helpdesk", "contact", "contactus", "sales", "admin", "administrator",
    "webmaster", "postmaster", "hostmaster", "abuse", "noreply", "no-reply", "no_reply", "donotreply",
    "do-not-reply", "privacy", "security", "press", "media", "billing", "feedback", "hello", "team", "careers",
    "jobs", "hr", "marketing", "office", "service", "customerservice", "enquiries", "inquiries", "legal", "root",
    "git", "nobody", "mailer-daemon", "notifications", "newsletter", "orders", "accounts", "editor", "editors",
    "licensing", "opensource", "community", "events", "partners", "investors", "reception", "membership", "pr",
    "admission", "admissions", "registrar", "foia", "booking", "bookings", "reservations", "shop", "store", "studio"})
# a role word at either end of a longer mailbox (csrinfo@, uscis.foia@, support-team@) is a role too
ROLE_AFFIXES = ("info", "support", "help", "contact", "noreply", "no-reply", "admissions", "enquiries", "inquiries",
                "office", "sales", "service", "foia", "press", "media", "billing", "webmaster")
PLACEHOLDER_LOCAL = re.compile(r"(.)\1*|(?:john|jane|joe|jon|jo|j)[._-]?(?:doe|smith)\d*|(?:user|test|name)[._-]?\d*")
# two-letter top-level domains are countries (ISO 3166, as libphonenumber knows them) or these
OTHER_CCTLDS = frozenset({"uk", "eu", "su", "ac"})
FILE_TLDS = frozenset({"png", "jpg", "jpeg", "gif", "svg", "webp", "ico", "bmp", "tif", "tiff", "js", "ts", "css",
                       "py", "rb", "json", "yaml", "yml", "xml", "html", "htm", "md", "txt", "pdf", "zip", "gz",
                       "tar", "exe", "dll", "so", "min", "map", "vue", "jsx", "tsx", "scss", "lock", "wav", "mp3",
                       "mp4", "mov", "avi", "csv", "log", "ini", "cfg", "conf", "env", "sh", "bat", "git"})

NANP_TOLL_FREE = frozenset({"800", "833", "844", "855", "866", "877", "888", "900"})  # 900: premium rate
# national numbers set aside for fiction and documentation: US 555, UK Ofcom drama ranges
UK_FICTION = ("1134960", "1144960", "1154960", "1164960", "1174960", "1184960", "1214960", "1314960", "1414960",
              "1514960", "1614960", "2079460", "2890180", "2920180", "1632960", "7700900", "8081570", "9098790")
# test numbers from payment providers' documentation (Stripe, Braintree, Adyen): not anyone's card
TEST_CARDS = frozenset({
    "4111111111111111", "4242424242424242", "4012888888881881", "4000056655665556", "4222222222222",
    "5555555555554444", "5105105105105100", "2223003122003222", "5200828282828210", "378282246310005",
    "371449635398431", "378734493671000", "6011111111111117", "6011000990139424", "6011000400000000",
    "3056930009020004", "30569309025904", "38520000023237", "36227206271667", "3566002020360505",
    "3530111333300000", "6200000000000005", "4000000000000002", "4000000000000077", "4000000000009995",
    "4917610000000000", "4988438843884305", "5454545454545454", "4444333322221111", "4035501000000008"})
# IBANs from standards and bank documentation (ECBS, Wikipedia, SEPA examples)
EXAMPLE_IBANS = frozenset({"GB82WEST12345698765432", "GB29NWBK60161331926819", "DE89370400440532013000",
                           "FR1420041010050500013M02606", "NL91ABNA0417164300", "BE68539007547034",
                           "ES9121000418450200051332", "IT60X0542811101000000123456", "CH9300762011623852957",
                           "GB33BUKB20201555555555", "DE75512108001245126199", "AT611904300234573201",
                           "DE44500105175407324931"})
# well-known public services, not people: resolvers of Google, Cloudflare, Quad9, OpenDNS
PUBLIC_SERVICES = frozenset({"8.8.8.8", "8.8.4.4", "1.1.1.1", "1.0.0.1", "9.9.9.9", "149.112.112.112",
                             "208.67.222.222", "208.67.220.220", "4.2.2.2", "2001:4860:4860::8888",
                             "2001:4860:4860::8844", "2606:4700:4700::1111", "2606:4700:4700::1001"})
# addresses tutorials make up
SAMPLE_IPS = frozenset({"123.45.67.89", "12.34.56.78", "98.76.54.32", "123.123.123.123", "11.22.33.44",
                        "1.2.3.4", "4.3.2.1", "5.6.7.8", "100.200.100.200", "200.100.50.25"})
