#include <server-console/federation/router.h>

#include <QTest>

using namespace Qt::StringLiterals;
using Server::Router;

class TestRouter : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void lineHasOneHopPerLink()
    {
        Router r;
        r.rebuild(u"a"_s,
                  {{u"a"_s, {u"b"_s}},
                   {u"b"_s, {u"a"_s, u"c"_s}},
                   {u"c"_s, {u"b"_s, u"d"_s}},
                   {u"d"_s, {u"c"_s}}});
        QCOMPARE(r.distance(u"d"_s), 3);
        QCOMPARE(r.nextHop(u"d"_s), u"b"_s);
        QCOMPARE(r.nextHop(u"a"_s), QString());
        QCOMPARE(r.distance(u"a"_s), 0);
        QCOMPARE(r.reachable(), (QStringList {u"a"_s, u"b"_s, u"c"_s, u"d"_s}));
    }
    void oneSidedEdgeIsIgnored()
    {
        // c still lists b, but b no longer lists c: the link is down.
        Router r;
        r.rebuild(u"a"_s, {{u"a"_s, {u"b"_s}}, {u"b"_s, {u"a"_s}}, {u"c"_s, {u"b"_s}}});
        QVERIFY(!r.isReachable(u"c"_s));
        QCOMPARE(r.distance(u"c"_s), -1);
        QCOMPARE(r.nextHop(u"c"_s), QString());
    }
    void ringTiesBreakByName()
    {
        // a-b-c-d-a: c is two hops either way; b sorts first.
        Router r;
        r.rebuild(u"a"_s,
                  {{u"a"_s, {u"d"_s, u"b"_s}},
                   {u"b"_s, {u"a"_s, u"c"_s}},
                   {u"c"_s, {u"b"_s, u"d"_s}},
                   {u"d"_s, {u"c"_s, u"a"_s}}});
        QCOMPARE(r.nextHop(u"c"_s), u"b"_s);
        QCOMPARE(r.nextHop(u"d"_s), u"d"_s);
    }
    void splitGroupsByNextHopAndDropsUnreachable()
    {
        Router r;
        r.rebuild(u"b"_s,
                  {{u"a"_s, {u"b"_s}},
                   {u"b"_s, {u"a"_s, u"c"_s}},
                   {u"c"_s, {u"b"_s, u"d"_s}},
                   {u"d"_s, {u"c"_s}}});
        const auto split = r.splitByNextHop({u"a"_s, u"c"_s, u"d"_s, u"zz"_s, u"b"_s});
        QCOMPARE(split.size(), 2);
        QCOMPARE(split.value(u"a"_s), QStringList {u"a"_s});
        QCOMPARE(split.value(u"c"_s), (QStringList {u"c"_s, u"d"_s}));
    }
    void rebuildForgetsOldGraph()
    {
        Router r;
        r.rebuild(u"a"_s, {{u"a"_s, {u"b"_s}}, {u"b"_s, {u"a"_s}}});
        QVERIFY(r.isReachable(u"b"_s));
        r.rebuild(u"a"_s, {});
        QVERIFY(!r.isReachable(u"b"_s));
        QCOMPARE(r.reachable(), QStringList {u"a"_s});
    }
};

QTEST_GUILESS_MAIN(TestRouter)
#include "tst_router.moc"
